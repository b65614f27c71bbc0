using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhaseRouter.Kernels;

/// <summary>
/// Each row's top k columns of a row-major matrix of finite scores, best first, ties to the lower column: the gates'
/// choices (what <see cref="FloatScan.TopScores"/> gives row by row, without its −∞ handling and eligible count, which
/// finite scores do not need). Rows of 8 to 64 scores are held in registers and picked by repeated arg-max with no
/// data-dependent branch, so consecutive rows overlap in the pipeline; other shapes go row by row through
/// <see cref="FloatScan.TopScores"/> or <see cref="RowSelector.SelectTopScores"/>.
/// </summary>
internal static class FiniteRowTop
{
    /// <summary>The largest k of the register paths (each pick costs a reduction over the row).</summary>
    private const int RegisterLimit = 8;

    /// <summary>Writes row t's top k columns to <c>destination[t·k .. t·k + k)</c>.</summary>
    /// <param name="scores">Row-major <c>[rows, columns]</c> finite scores.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The row length, at least k.</param>
    /// <param name="k">Columns per row, in <c>[1, columns]</c>.</param>
    /// <param name="destination">At least <c>rows · k</c> slots.</param>
    /// <param name="candidates">Scratch of <paramref name="columns"/> entries for k above 16 (the sorting path); may be empty otherwise.</param>
    /// <param name="best">Receives each row's best score (<paramref name="rows"/> entries), or empty for none.</param>
    public static void TopRows(ReadOnlySpan<float> scores, int rows, int columns, int k, Span<int> destination, Span<int> candidates,
        Span<float> best = default)
    {
        bool keepBest = !best.IsEmpty;
        ref float bestScore = ref MemoryMarshal.GetReference(best[..(keepBest ? rows : 0)]);
        if (k <= RegisterLimit && columns % 16 == 0 && columns is >= 16 and <= 64 && Vector512.IsHardwareAccelerated)
        {
            ref float start = ref MemoryMarshal.GetReference(scores);
            ref int slots = ref MemoryMarshal.GetReference(destination[..(rows * k)]);
            for (int t = 0; t < rows; t++)
            {
                float top = Top512(ref Unsafe.Add(ref start, t * columns), columns / 16, k, ref Unsafe.Add(ref slots, t * k));
                if (keepBest)
                {
                    Unsafe.Add(ref bestScore, t) = top;
                }
            }

            return;
        }

        if (k <= RegisterLimit && columns % 8 == 0 && columns is >= 8 and <= 32 && Vector256.IsHardwareAccelerated)
        {
            ref float start = ref MemoryMarshal.GetReference(scores);
            ref int slots = ref MemoryMarshal.GetReference(destination[..(rows * k)]);
            for (int t = 0; t < rows; t++)
            {
                float top = Top256(ref Unsafe.Add(ref start, t * columns), columns / 8, k, ref Unsafe.Add(ref slots, t * k));
                if (keepBest)
                {
                    Unsafe.Add(ref bestScore, t) = top;
                }
            }

            return;
        }

        for (int t = 0; t < rows; t++)
        {
            ReadOnlySpan<float> row = scores.Slice(t * columns, columns);
            Span<int> dest = destination.Slice(t * k, k);
            if (k <= 16)
            {
                FloatScan.TopScores(row, k, dest, out _);
            }
            else
            {
                Span<int> all = candidates[..columns];
                for (int e = 0; e < columns; e++)
                {
                    all[e] = e;
                }

                RowSelector.SelectTopScores(all, row, k, dest, out _);
            }

            if (keepBest)
            {
                best[t] = row[dest[0]];
            }
        }
    }

    /// <summary>
    /// One row of 16·chunks scores in four Vector512 registers (−∞ beyond the row). Each pick: the lane-wise then the
    /// horizontal maximum, the lowest index holding it (one 64-bit mask of equal lanes), that lane set to −∞. Scores
    /// are finite, so the maximum is always a real entry; −0 and +0 compare equal, a tie. Returns the best score.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Top512(ref float row, int chunks, int k, ref int destination)
    {
        Vector512<float> negInf = Vector512.Create(float.NegativeInfinity);
        Vector512<float> v0 = Vector512.LoadUnsafe(ref row);
        Vector512<float> v1 = chunks > 1 ? Vector512.LoadUnsafe(ref row, 16) : negInf;
        Vector512<float> v2 = chunks > 2 ? Vector512.LoadUnsafe(ref row, 32) : negInf;
        Vector512<float> v3 = chunks > 3 ? Vector512.LoadUnsafe(ref row, 48) : negInf;
        Vector512<int> i0 = Vector512<int>.Indices;
        float first = 0;
        for (int c = 0; ; c++)
        {
            Vector512<float> m = Vector512.MaxNative(Vector512.MaxNative(v0, v1), Vector512.MaxNative(v2, v3));
            Vector256<float> half = Vector256.MaxNative(m.GetLower(), m.GetUpper());
            Vector128<float> quarter = Vector128.MaxNative(half.GetLower(), half.GetUpper());
            quarter = Vector128.MaxNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1)));
            quarter = Vector128.MaxNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(1, 0, 3, 2)));
            float top = quarter.ToScalar();
            first = c == 0 ? top : first;
            Vector512<float> best = Vector512.Create(top);
            ulong bits = Vector512.Equals(v0, best).ExtractMostSignificantBits()
                | Vector512.Equals(v1, best).ExtractMostSignificantBits() << 16
                | Vector512.Equals(v2, best).ExtractMostSignificantBits() << 32
                | Vector512.Equals(v3, best).ExtractMostSignificantBits() << 48;
            int index = BitOperations.TrailingZeroCount(bits);
            Unsafe.Add(ref destination, c) = index;
            if (c + 1 == k)
            {
                return first;
            }

            Vector512<int> at = Vector512.Create(index) - i0;
            v0 = Vector512.ConditionalSelect(Vector512.Equals(at, Vector512<int>.Zero).AsSingle(), negInf, v0);
            v1 = Vector512.ConditionalSelect(Vector512.Equals(at, Vector512.Create(16)).AsSingle(), negInf, v1);
            v2 = Vector512.ConditionalSelect(Vector512.Equals(at, Vector512.Create(32)).AsSingle(), negInf, v2);
            v3 = Vector512.ConditionalSelect(Vector512.Equals(at, Vector512.Create(48)).AsSingle(), negInf, v3);
        }
    }

    /// <summary>As <see cref="Top512"/> for rows of 8·chunks scores (up to 32) in four Vector256 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Top256(ref float row, int chunks, int k, ref int destination)
    {
        Vector256<float> negInf = Vector256.Create(float.NegativeInfinity);
        Vector256<float> v0 = Vector256.LoadUnsafe(ref row);
        Vector256<float> v1 = chunks > 1 ? Vector256.LoadUnsafe(ref row, 8) : negInf;
        Vector256<float> v2 = chunks > 2 ? Vector256.LoadUnsafe(ref row, 16) : negInf;
        Vector256<float> v3 = chunks > 3 ? Vector256.LoadUnsafe(ref row, 24) : negInf;
        Vector256<int> i0 = Vector256<int>.Indices;
        float first = 0;
        for (int c = 0; ; c++)
        {
            Vector256<float> m = Vector256.MaxNative(Vector256.MaxNative(v0, v1), Vector256.MaxNative(v2, v3));
            Vector128<float> quarter = Vector128.MaxNative(m.GetLower(), m.GetUpper());
            quarter = Vector128.MaxNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1)));
            quarter = Vector128.MaxNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(1, 0, 3, 2)));
            float top = quarter.ToScalar();
            first = c == 0 ? top : first;
            Vector256<float> best = Vector256.Create(top);
            uint bits = Vector256.Equals(v0, best).ExtractMostSignificantBits()
                | Vector256.Equals(v1, best).ExtractMostSignificantBits() << 8
                | Vector256.Equals(v2, best).ExtractMostSignificantBits() << 16
                | Vector256.Equals(v3, best).ExtractMostSignificantBits() << 24;
            int index = BitOperations.TrailingZeroCount(bits);
            Unsafe.Add(ref destination, c) = index;
            if (c + 1 == k)
            {
                return first;
            }

            Vector256<int> at = Vector256.Create(index) - i0;
            v0 = Vector256.ConditionalSelect(Vector256.Equals(at, Vector256<int>.Zero).AsSingle(), negInf, v0);
            v1 = Vector256.ConditionalSelect(Vector256.Equals(at, Vector256.Create(8)).AsSingle(), negInf, v1);
            v2 = Vector256.ConditionalSelect(Vector256.Equals(at, Vector256.Create(16)).AsSingle(), negInf, v2);
            v3 = Vector256.ConditionalSelect(Vector256.Equals(at, Vector256.Create(24)).AsSingle(), negInf, v3);
        }
    }
}
