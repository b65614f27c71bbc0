using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhaseRouter.Kernels;

/// <summary>Vectorised scans over score arrays.</summary>
internal static class FloatScan
{
    /// <summary>Index of the first NaN, or -1. A NaN is the only value not equal to itself.</summary>
    public static int IndexOfNaN(ReadOnlySpan<float> values)
    {
        int i = 0;
        ref float start = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref start, (nuint)i);
                ulong nan = (~Vector512.Equals(v, v)).ExtractMostSignificantBits();
                if (nan != 0)
                {
                    return i + BitOperations.TrailingZeroCount(nan);
                }
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                uint nan = (~Vector256.Equals(v, v)).ExtractMostSignificantBits();
                if (nan != 0)
                {
                    return i + BitOperations.TrailingZeroCount(nan);
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The top <paramref name="limit"/> (at most 16) indices of a whole score row, best first, ties to the lower
    /// index, skipping −∞: what <see cref="RowSelector.SelectTopScores"/> gives when every target is a candidate.
    /// Scanning in index order means an equal score never displaces an earlier one, so once <paramref name="limit"/>
    /// are held only lanes strictly above the current worst need a look, 16 lanes a compare.
    /// </summary>
    /// <param name="row">The scores of one source, indexed by target.</param>
    /// <param name="limit">How many to keep, 0 to 16.</param>
    /// <param name="destination">Receives the kept targets, best first.</param>
    /// <param name="eligible">The number of scores that are not −∞.</param>
    /// <param name="excluded">Optional bitmap of targets to skip (full ones); empty for none.</param>
    public static int TopScores(ReadOnlySpan<float> row, int limit, Span<int> destination, out int eligible,
        ReadOnlySpan<ulong> excluded = default)
    {
        if (limit == 0)
        {
            eligible = row.Length - row.Count(float.NegativeInfinity);
            return 0;
        }

        Span<float> kept = stackalloc float[16];
        int count = 0;
        int finite = 0;
        int j = 0;
        ref float start = ref MemoryMarshal.GetReference(row);
        if (Vector512.IsHardwareAccelerated && excluded.IsEmpty && row.Length >= Vector512<float>.Count)
        {
            // Pass 1: the 16 lane-wise maxima are 16 distinct entries of the row, so the limit-th largest of them
            // is a lower bound on the row's limit-th best score. Pass 2 then inserts only lanes at or above it.
            Vector512<float> negInf = Vector512.Create(float.NegativeInfinity);
            Vector512<float> laneMax = negInf;
            int whole = row.Length - row.Length % Vector512<float>.Count;
            for (int v = 0; v < whole; v += Vector512<float>.Count)
            {
                laneMax = Vector512.Max(laneMax, Vector512.LoadUnsafe(ref start, (nuint)v));
            }

            Span<float> maxima = stackalloc float[Vector512<float>.Count];
            laneMax.CopyTo(maxima);
            float bound = KthLargest(maxima, limit);
            Vector512<float> vbound = Vector512.Create(bound);
            for (; j < whole; j += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref start, (nuint)j);
                ulong open = (~Vector512.Equals(v, negInf)).ExtractMostSignificantBits();
                finite += BitOperations.PopCount(open);
                ulong bits = open & Vector512.GreaterThanOrEqual(v, vbound).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    int lane = j + BitOperations.TrailingZeroCount(bits);
                    float score = row[lane];
                    if (count < limit || score > kept[limit - 1])
                    {
                        count = Insert(lane, score, limit, count, destination, kept);
                    }

                    bits &= bits - 1;
                }
            }
        }
        else if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> negInf = Vector512.Create(float.NegativeInfinity);
            for (; j <= row.Length - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref start, (nuint)j);
                ulong open = (~Vector512.Equals(v, negInf)).ExtractMostSignificantBits();
                finite += BitOperations.PopCount(open);
                ulong bits = count < limit ? open : Vector512.GreaterThan(v, Vector512.Create(kept[limit - 1])).ExtractMostSignificantBits();
                if (!excluded.IsEmpty)
                {
                    bits &= ~(excluded[j >> 6] >> (j & 63));
                }

                while (bits != 0)
                {
                    int lane = j + BitOperations.TrailingZeroCount(bits);
                    float score = row[lane];
                    if (count < limit || score > kept[limit - 1])
                    {
                        count = Insert(lane, score, limit, count, destination, kept);
                    }

                    bits &= bits - 1;
                }
            }
        }

        for (; j < row.Length; j++)
        {
            float score = row[j];
            if (score == float.NegativeInfinity)
            {
                continue;
            }

            finite++;
            if (!excluded.IsEmpty && (excluded[j >> 6] >> j & 1) != 0)
            {
                continue;
            }

            count = Insert(j, score, limit, count, destination, kept);
        }

        eligible = finite;
        return count;
    }

    /// <summary>The <paramref name="k"/>-th largest value (k ≥ 1), or −∞ when fewer than k values exceed −∞.</summary>
    private static float KthLargest(Span<float> values, int k)
    {
        Span<float> top = stackalloc float[16];
        int count = 0;
        k = Math.Min(k, values.Length);
        foreach (float x in values)
        {
            if (count == k && !(x > top[k - 1]))
            {
                continue;
            }

            int pos = count == k ? k - 1 : count++;
            while (pos > 0 && x > top[pos - 1])
            {
                top[pos] = top[pos - 1];
                pos--;
            }

            top[pos] = x;
        }

        return count < k ? float.NegativeInfinity : top[k - 1];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Insert(int j, float score, int limit, int count, Span<int> destination, Span<float> kept)
    {
        if (count == limit && !(score > kept[limit - 1]))
        {
            return count;
        }

        int pos = count == limit ? count - 1 : count++;
        while (pos > 0 && score > kept[pos - 1])
        {
            destination[pos] = destination[pos - 1];
            kept[pos] = kept[pos - 1];
            pos--;
        }

        destination[pos] = j;
        kept[pos] = score;
        return count;
    }
}
