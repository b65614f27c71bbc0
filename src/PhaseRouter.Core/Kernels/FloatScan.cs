using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhaseRouter.Kernels;

/// <summary>Vectorised scans over score arrays.</summary>
internal static class FloatScan
{
    /// <summary>Limits up to this, over rows up to <see cref="ArgMaxLength"/>, take the repeated arg-max path.</summary>
    private const int ArgMaxLimit = 4;

    /// <summary>The longest row for the repeated arg-max path (each pass reads the whole row).</summary>
    private const int ArgMaxLength = 256;

    /// <summary>Scores per block of the general scan: one Vector512, two Vector256 or four Vector128.</summary>
    private const int Block = 16;

    /// <summary>Bit i in lane i: turns a 16-bit lane mask into a vector mask.</summary>
    private static readonly int[] LaneBits = [.. Enumerable.Range(0, 16).Select(i => 1 << i)];

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

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> v = Vector128.LoadUnsafe(ref start, (nuint)i);
                uint nan = (~Vector128.Equals(v, v)).ExtractMostSignificantBits();
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

        if (Vector512.IsHardwareAccelerated && limit <= ArgMaxLimit && excluded.IsEmpty
            && row.Length % Vector512<float>.Count == 0 && row.Length is >= 16 and <= 64)
        {
            return TopInRegisters(row, limit, destination, out eligible);
        }

        if (Vector512.IsHardwareAccelerated && limit <= ArgMaxLimit && row.Length >= Vector512<float>.Count
            && row.Length <= ArgMaxLength)
        {
            return TopByArgMax(row, limit, destination, out eligible, excluded);
        }

        Span<float> kept = stackalloc float[16];
        int count = 0;
        int finite = 0;
        int j = 0;
        ref float start = ref MemoryMarshal.GetReference(row);
        int whole = row.Length - row.Length % Block;
        if (excluded.IsEmpty && whole > 0)
        {
            // Pass 1: the 16 lane-wise maxima (lane = index mod 16) are 16 distinct entries of the row, so the
            // limit-th largest of them is a lower bound on the row's limit-th best score. Pass 2 then inserts only
            // entries at or above it. Blocks of 16 whatever the vector width, so every width sees the same bound.
            Span<float> maxima = stackalloc float[Block];
            LaneMaxima(ref start, whole, maxima);
            float bound = KthLargest(maxima, limit);
            for (; j < whole; j += Block)
            {
                uint open = BlockMask(ref start, j, float.NegativeInfinity, Comparison.NotEqual);
                finite += BitOperations.PopCount(open);
                uint bits = open & BlockMask(ref start, j, bound, Comparison.GreaterOrEqual);
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
        else
        {
            for (; j < whole; j += Block)
            {
                uint open = BlockMask(ref start, j, float.NegativeInfinity, Comparison.NotEqual);
                finite += BitOperations.PopCount(open);
                uint bits = count < limit ? open : BlockMask(ref start, j, kept[limit - 1], Comparison.Greater);
                if (!excluded.IsEmpty)
                {
                    bits &= ~(uint)(excluded[j >> 6] >> (j & 63)) & 0xFFFFu;
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

    /// <summary>
    /// Repeated arg-max for rows of 16 to 64 scores (the usual expert counts), the row held in four registers:
    /// each pick is a lane-wise max, a horizontal max, an equality search for the lowest index holding it, and that
    /// lane set to −∞. No memory traffic after the first load.
    /// </summary>
    private static int TopInRegisters(ReadOnlySpan<float> row, int limit, Span<int> destination, out int eligible)
    {
        const int Width = 16;
        ref float start = ref MemoryMarshal.GetReference(row);
        int chunks = row.Length / Width;
        Vector512<float> negInf = Vector512.Create(float.NegativeInfinity);
        Vector512<float> v0 = Vector512.LoadUnsafe(ref start);
        Vector512<float> v1 = chunks > 1 ? Vector512.LoadUnsafe(ref start, Width) : negInf;
        Vector512<float> v2 = chunks > 2 ? Vector512.LoadUnsafe(ref start, 2 * Width) : negInf;
        Vector512<float> v3 = chunks > 3 ? Vector512.LoadUnsafe(ref start, 3 * Width) : negInf;
        eligible = BitOperations.PopCount((~Vector512.Equals(v0, negInf)).ExtractMostSignificantBits())
            + BitOperations.PopCount((~Vector512.Equals(v1, negInf)).ExtractMostSignificantBits())
            + BitOperations.PopCount((~Vector512.Equals(v2, negInf)).ExtractMostSignificantBits())
            + BitOperations.PopCount((~Vector512.Equals(v3, negInf)).ExtractMostSignificantBits());
        int count = 0;
        for (; count < limit; count++)
        {
            Vector512<float> m = Vector512.Max(Vector512.Max(v0, v1), Vector512.Max(v2, v3));
            Vector256<float> half = Vector256.Max(m.GetLower(), m.GetUpper());
            Vector128<float> quarter = Vector128.Max(half.GetLower(), half.GetUpper());
            quarter = Vector128.Max(quarter, Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1)));
            quarter = Vector128.Max(quarter, Vector128.Shuffle(quarter, Vector128.Create(1, 0, 3, 2)));
            float best = quarter.ToScalar();
            if (best == float.NegativeInfinity)
            {
                break;
            }

            // The first chunk holding the best score holds its lowest index (−0 and +0 compare equal, as ties).
            Vector512<float> vbest = Vector512.Create(best);
            ulong bits = Vector512.Equals(v0, vbest).ExtractMostSignificantBits();
            int chunk = 0;
            if (bits == 0)
            {
                bits = Vector512.Equals(v1, vbest).ExtractMostSignificantBits();
                chunk = 1;
                if (bits == 0)
                {
                    bits = Vector512.Equals(v2, vbest).ExtractMostSignificantBits();
                    chunk = 2;
                    if (bits == 0)
                    {
                        bits = Vector512.Equals(v3, vbest).ExtractMostSignificantBits();
                        chunk = 3;
                    }
                }
            }

            int lane = BitOperations.TrailingZeroCount(bits);
            destination[count] = chunk * Width + lane;
            Vector512<float> taken = Vector512.Equals(Vector512<int>.Indices, Vector512.Create(lane)).AsSingle();
            switch (chunk)
            {
                case 0: v0 = Vector512.ConditionalSelect(taken, negInf, v0); break;
                case 1: v1 = Vector512.ConditionalSelect(taken, negInf, v1); break;
                case 2: v2 = Vector512.ConditionalSelect(taken, negInf, v2); break;
                default: v3 = Vector512.ConditionalSelect(taken, negInf, v3); break;
            }
        }

        return count;
    }

    /// <summary>
    /// Small limits over short rows: <paramref name="limit"/> passes of vector arg-max. Each pass takes the best lane
    /// not yet taken nor excluded (the maximum, then its lowest index by an equality compare, so equal scores, ±0
    /// included, go to the lower target), which is exactly the best-first order of <see cref="RowSelector.Better"/>.
    /// A pass costs a few vector operations per 16 scores, with no data-dependent branches.
    /// </summary>
    private static int TopByArgMax(ReadOnlySpan<float> row, int limit, Span<int> destination, out int eligible,
        ReadOnlySpan<ulong> excluded)
    {
        const int Width = 16; // Vector512<float>.Count
        int n = row.Length;
        int whole = n - n % Width;
        int chunks = whole / Width;
        ref float start = ref MemoryMarshal.GetReference(row);
        Vector512<float> negInf = Vector512.Create(float.NegativeInfinity);
        Vector512<int> laneBits = Vector512.Create(LaneBits);

        // Lanes that may not be chosen (excluded targets, then the ones taken), 16 bits per chunk; the tail last.
        Span<uint> skip = stackalloc uint[chunks + 1];
        int finite = 0;
        for (int c = 0; c < chunks; c++)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref start, (nuint)(c * Width));
            finite += BitOperations.PopCount((~Vector512.Equals(v, negInf)).ExtractMostSignificantBits());
            skip[c] = excluded.IsEmpty ? 0u : (uint)(excluded[(c * Width) >> 6] >> ((c * Width) & 63)) & 0xFFFFu;
        }

        for (int j = whole; j < n; j++)
        {
            finite += row[j] == float.NegativeInfinity ? 0 : 1;
            if (!excluded.IsEmpty && (excluded[j >> 6] >> j & 1) != 0)
            {
                skip[chunks] |= 1u << (j - whole);
            }
        }

        eligible = finite;
        int count = 0;
        for (; count < limit; count++)
        {
            Vector512<float> max = negInf;
            for (int c = 0; c < chunks; c++)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref start, (nuint)(c * Width));
                if (skip[c] != 0)
                {
                    Vector512<int> skipped = Vector512.Equals(Vector512.Create((int)skip[c]) & laneBits, laneBits);
                    v = Vector512.ConditionalSelect(skipped.AsSingle(), negInf, v);
                }

                max = Vector512.Max(max, v);
            }

            Vector256<float> half = Vector256.Max(max.GetLower(), max.GetUpper());
            Vector128<float> quarter = Vector128.Max(half.GetLower(), half.GetUpper());
            quarter = Vector128.Max(quarter, Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1)));
            quarter = Vector128.Max(quarter, Vector128.Shuffle(quarter, Vector128.Create(1, 0, 3, 2)));
            float best = quarter.ToScalar();
            for (int j = whole; j < n; j++)
            {
                if ((skip[chunks] >> (j - whole) & 1) == 0 && row[j] > best)
                {
                    best = row[j];
                }
            }

            if (best == float.NegativeInfinity)
            {
                break;
            }

            // The lowest index holding the best score: chunks first, they come before the tail.
            int found = -1;
            Vector512<float> vbest = Vector512.Create(best);
            for (int c = 0; c < chunks; c++)
            {
                uint bits = (uint)Vector512.Equals(Vector512.LoadUnsafe(ref start, (nuint)(c * Width)), vbest)
                    .ExtractMostSignificantBits() & ~skip[c];
                if (bits != 0)
                {
                    found = c * Width + BitOperations.TrailingZeroCount(bits);
                    break;
                }
            }

            for (int j = whole; found < 0 && j < n; j++)
            {
                if ((skip[chunks] >> (j - whole) & 1) == 0 && row[j] == best)
                {
                    found = j;
                }
            }

            destination[count] = found;
            skip[found / Width] |= 1u << (found % Width);
        }

        return count;
    }

    private enum Comparison
    {
        NotEqual,
        GreaterOrEqual,
        Greater,
    }

    /// <summary>
    /// Bit b set when <c>row[j + b] op value</c>, for the 16 scores from <paramref name="j"/>: one Vector512 compare,
    /// two Vector256, four Vector128, or a scalar loop, whichever the hardware runs.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static uint BlockMask(ref float start, int j, float value, Comparison op)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref start, (nuint)j);
            Vector512<float> c = Vector512.Create(value);
            Vector512<float> m = op switch
            {
                Comparison.NotEqual => ~Vector512.Equals(v, c),
                Comparison.GreaterOrEqual => Vector512.GreaterThanOrEqual(v, c),
                _ => Vector512.GreaterThan(v, c),
            };
            return (uint)m.ExtractMostSignificantBits();
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> c = Vector256.Create(value);
            uint mask = 0;
            for (int h = 0; h < Block; h += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref start, (nuint)(j + h));
                Vector256<float> m = op switch
                {
                    Comparison.NotEqual => ~Vector256.Equals(v, c),
                    Comparison.GreaterOrEqual => Vector256.GreaterThanOrEqual(v, c),
                    _ => Vector256.GreaterThan(v, c),
                };
                mask |= m.ExtractMostSignificantBits() << h;
            }

            return mask;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> c = Vector128.Create(value);
            uint mask = 0;
            for (int h = 0; h < Block; h += Vector128<float>.Count)
            {
                Vector128<float> v = Vector128.LoadUnsafe(ref start, (nuint)(j + h));
                Vector128<float> m = op switch
                {
                    Comparison.NotEqual => ~Vector128.Equals(v, c),
                    Comparison.GreaterOrEqual => Vector128.GreaterThanOrEqual(v, c),
                    _ => Vector128.GreaterThan(v, c),
                };
                mask |= m.ExtractMostSignificantBits() << h;
            }

            return mask;
        }

        uint scalar = 0;
        for (int h = 0; h < Block; h++)
        {
            float x = System.Runtime.CompilerServices.Unsafe.Add(ref start, j + h);
            bool hit = op switch
            {
                Comparison.NotEqual => x != value,
                Comparison.GreaterOrEqual => x >= value,
                _ => x > value,
            };
            scalar |= (hit ? 1u : 0u) << h;
        }

        return scalar;
    }

    /// <summary>The maximum of each lane (index mod 16) over the first <paramref name="whole"/> scores (a multiple of 16).</summary>
    private static void LaneMaxima(ref float start, int whole, Span<float> maxima)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> max = Vector512.Create(float.NegativeInfinity);
            for (int v = 0; v < whole; v += Block)
            {
                max = Vector512.Max(max, Vector512.LoadUnsafe(ref start, (nuint)v));
            }

            max.CopyTo(maxima);
            return;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> low = Vector256.Create(float.NegativeInfinity);
            Vector256<float> high = low;
            for (int v = 0; v < whole; v += Block)
            {
                low = Vector256.Max(low, Vector256.LoadUnsafe(ref start, (nuint)v));
                high = Vector256.Max(high, Vector256.LoadUnsafe(ref start, (nuint)(v + Vector256<float>.Count)));
            }

            low.CopyTo(maxima);
            high.CopyTo(maxima[Vector256<float>.Count..]);
            return;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> m0 = Vector128.Create(float.NegativeInfinity);
            Vector128<float> m1 = m0;
            Vector128<float> m2 = m0;
            Vector128<float> m3 = m0;
            for (int v = 0; v < whole; v += Block)
            {
                m0 = Vector128.Max(m0, Vector128.LoadUnsafe(ref start, (nuint)v));
                m1 = Vector128.Max(m1, Vector128.LoadUnsafe(ref start, (nuint)(v + 4)));
                m2 = Vector128.Max(m2, Vector128.LoadUnsafe(ref start, (nuint)(v + 8)));
                m3 = Vector128.Max(m3, Vector128.LoadUnsafe(ref start, (nuint)(v + 12)));
            }

            m0.CopyTo(maxima);
            m1.CopyTo(maxima[4..]);
            m2.CopyTo(maxima[8..]);
            m3.CopyTo(maxima[12..]);
            return;
        }

        maxima.Fill(float.NegativeInfinity);
        for (int v = 0; v < whole; v += Block)
        {
            for (int lane = 0; lane < Block; lane++)
            {
                maxima[lane] = Math.Max(maxima[lane], System.Runtime.CompilerServices.Unsafe.Add(ref start, v + lane));
            }
        }
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
