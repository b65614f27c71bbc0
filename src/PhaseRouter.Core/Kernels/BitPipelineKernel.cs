using System.Numerics;
using System.Runtime.Intrinsics;
using PhaseRouter.Engine;

namespace PhaseRouter.Kernels;

/// <summary>
/// SPEC §1 as written, over packed words: rotate each aligned row into its arc (step 3), permute the columns
/// (step 4), transpose T (step 6) and AND the rows (step 7). Builds the whole candidate matrix up front.
/// </summary>
internal sealed class BitPipelineKernel : CandidateKernel
{
    private readonly BitMatrix _candidates;

    public BitPipelineKernel(PhaseLayout layout, int maxDegreeOfParallelism)
        : base(layout)
    {
        int r = layout.R;
        int c = layout.C;
        BitMatrix sShuffled = RotateAndPermute(layout.SourceDegrees, layout.PhiS, layout.PiS, c, maxDegreeOfParallelism);
        BitMatrix tShuffled = RotateAndPermute(layout.TargetDegrees, layout.PhiT, layout.PiT, r, maxDegreeOfParallelism);
        BitMatrix tFinal = tShuffled.Transpose();
        ulong[] sw = sShuffled.RawWords;
        ulong[] tw = tFinal.RawWords;
        int wpr = sShuffled.WordsPerRow;
        ParallelRows.For(r, (long)r * wpr, maxDegreeOfParallelism, (from, to) =>
        {
            for (int i = from; i < to; i++)
            {
                And(sw.AsSpan(i * wpr, wpr), tw.AsSpan(i * wpr, wpr));
            }
        });
        _candidates = sShuffled;
    }

    /// <summary>The candidate matrix Cand (R × C).</summary>
    public BitMatrix Candidates => _candidates;

    public override int Enumerate(int row, Span<int> destination)
    {
        ReadOnlySpan<ulong> words = _candidates.Row(row);
        int count = 0;
        for (int w = 0; w < words.Length; w++)
        {
            ulong bits = words[w];
            while (bits != 0)
            {
                destination[count++] = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }

        return count;
    }

    /// <summary>
    /// Row x of the result has ones exactly at the columns c with <c>π[c]</c> in x's arc
    /// <c>[φ_x, φ_x + d_x) mod ring</c>: the arc is written as a bit range (step 3), then every one at ring position
    /// p moves to column π⁻¹[p] (step 4, <c>shuf[x][c] = rot[x][π[c]]</c>).
    /// </summary>
    private static BitMatrix RotateAndPermute(int[] degrees, int[] phi, int[] pi, int ring, int maxDegreeOfParallelism)
    {
        int rows = degrees.Length;
        var inverse = new int[ring];
        for (int c = 0; c < ring; c++)
        {
            inverse[pi[c]] = c;
        }

        var result = new BitMatrix(rows, ring);
        ulong[] words = result.RawWords;
        int wpr = result.WordsPerRow;
        ParallelRows.For(rows, (long)rows * wpr, maxDegreeOfParallelism, (from, to) =>
        {
            var rotated = new ulong[wpr];
            for (int x = from; x < to; x++)
            {
                Array.Clear(rotated);
                BitRange.SetRingArc(rotated, phi[x], degrees[x], ring);
                Span<ulong> target = words.AsSpan(x * wpr, wpr);
                for (int w = 0; w < wpr; w++)
                {
                    ulong bits = rotated[w];
                    while (bits != 0)
                    {
                        int column = inverse[(w << 6) + BitOperations.TrailingZeroCount(bits)];
                        target[column >> 6] |= 1UL << column;
                        bits &= bits - 1;
                    }
                }
            }
        });
        return result;
    }

    internal static void And(Span<ulong> destination, ReadOnlySpan<ulong> other)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= destination.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
            {
                (Vector512.Create<ulong>(destination[i..]) & Vector512.Create<ulong>(other[i..])).CopyTo(destination[i..]);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= destination.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
            {
                (Vector256.Create<ulong>(destination[i..]) & Vector256.Create<ulong>(other[i..])).CopyTo(destination[i..]);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= destination.Length - Vector128<ulong>.Count; i += Vector128<ulong>.Count)
            {
                (Vector128.Create<ulong>(destination[i..]) & Vector128.Create<ulong>(other[i..])).CopyTo(destination[i..]);
            }
        }

        for (; i < destination.Length; i++)
        {
            destination[i] &= other[i];
        }
    }
}
