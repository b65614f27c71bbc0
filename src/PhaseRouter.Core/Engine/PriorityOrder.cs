namespace PhaseRouter.Engine;

/// <summary>
/// The serving order of score-ranked sources under capacities: best top score first, ties by source index.
/// A stable least-significant-digit radix sort on 32-bit keys (three 11-bit digits) over the sources in index
/// order: linear time, and stability gives the index tie-break for free.
/// </summary>
internal static class PriorityOrder
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;

    /// <summary>A key whose ascending order is descending score (−∞ last); −0 and +0 get the same key (a tie).</summary>
    public static uint Key(float best)
    {
        // −0 + +0 = +0: one bit pattern for zero, as the float compares of the other paths see it.
        uint bits = BitConverter.SingleToUInt32Bits(best + 0f);
        uint ordered = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u; // unsigned order = float order
        return ~ordered;
    }

    public static int[] Sort(uint[] keys)
    {
        var order = new int[keys.Length];
        Sort(keys, order, new int[keys.Length]);
        return order;
    }

    /// <summary>Writes the serving order of <paramref name="keys"/> into <paramref name="order"/> (caller-owned buffers, no allocation).</summary>
    /// <param name="keys">One key per source.</param>
    /// <param name="order">Receives the sources, first served first; the keys' length.</param>
    /// <param name="scratch">Work space of the keys' length.</param>
    public static void Sort(ReadOnlySpan<uint> keys, Span<int> order, Span<int> scratch)
    {
        int n = keys.Length;
        Span<int> from = order[..n];
        Span<int> to = scratch[..n];
        for (int i = 0; i < n; i++)
        {
            from[i] = i;
        }

        Span<int> counts = stackalloc int[Buckets];
        for (int shift = 0; shift < 32; shift += DigitBits)
        {
            counts.Clear();
            foreach (int i in from)
            {
                counts[(int)(keys[i] >> shift) & (Buckets - 1)]++;
            }

            int sum = 0;
            for (int b = 0; b < Buckets; b++)
            {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }

            foreach (int i in from)
            {
                to[counts[(int)(keys[i] >> shift) & (Buckets - 1)]++] = i;
            }

            Span<int> swap = from;
            from = to;
            to = swap;
        }

        if (from != order[..n])
        {
            from.CopyTo(order);
        }
    }
}
