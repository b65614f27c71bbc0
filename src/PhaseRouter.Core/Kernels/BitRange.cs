namespace PhaseRouter.Kernels;

/// <summary>Word-level bit-range writes.</summary>
internal static class BitRange
{
    /// <summary>Sets bits <c>[start, start + count)</c> of a packed row (no wrap).</summary>
    public static void SetRange(Span<ulong> row, int start, int count)
    {
        if (count <= 0)
        {
            return;
        }

        int end = start + count; // exclusive
        int firstWord = start >> 6;
        int lastWord = (end - 1) >> 6;
        ulong firstMask = ~0UL << (start & 63);
        ulong lastMask = ~0UL >> (63 - ((end - 1) & 63));
        if (firstWord == lastWord)
        {
            row[firstWord] |= firstMask & lastMask;
            return;
        }

        row[firstWord] |= firstMask;
        row.Slice(firstWord + 1, lastWord - firstWord - 1).Fill(~0UL);
        row[lastWord] |= lastMask;
    }

    /// <summary>Sets the ring arc <c>(start + u) mod ring</c>, <c>0 ≤ u &lt; count ≤ ring</c>.</summary>
    public static void SetRingArc(Span<ulong> row, int start, int count, int ring)
    {
        int first = Math.Min(count, ring - start);
        SetRange(row, start, first);
        SetRange(row, 0, count - first);
    }
}
