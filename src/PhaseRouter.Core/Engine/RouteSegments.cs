namespace PhaseRouter.Engine;

/// <summary>
/// The compact routes of a default call's result, split into segments of whole rows so that every array stays below
/// the large-object-heap threshold (85,000 bytes): a fresh large-object array costs page faults on every call and
/// brings gen-2 collections, while small-object arrays come from the warm gen-0 allocation context. Segment
/// <c>g</c> holds rows <c>[FirstRow(g), FirstRow(g + 1))</c>; its local offsets (one more than its rows) index its
/// own targets, which are the rows' routes one after another, as in the contiguous form.
/// </summary>
/// <remarks>
/// A segment holds at most <see cref="MaxRows"/> rows (so its offsets take at most 65,540 bytes) and at most
/// <see cref="MaxTargets"/> targets (65,536 bytes). A single row with more than <see cref="MaxTargets"/> routes
/// (possible when k and C exceed 16,384) cannot be split: it gets a segment of its own, whose targets array is then
/// larger than the threshold. The two index arrays hold one entry per segment; they cross the threshold only past
/// about 10,000 segments (over 160 million routes).
/// </remarks>
internal sealed class RouteSegments
{
    /// <summary>The most targets a segment of several rows holds: 16,384 ints, 65,536 bytes.</summary>
    public const int MaxTargets = 16_384;

    /// <summary>The most rows a segment holds: its offsets are then 16,385 ints, 65,540 bytes.</summary>
    public const int MaxRows = 16_384;

    /// <summary><c>segments + 1</c> entries: segment g starts at row <c>_firstRow[g]</c>; the last entry is the row count.</summary>
    private readonly int[] _firstRow;
    private readonly int[][] _offsets;
    private readonly int[][] _targets;

    private RouteSegments(int[] firstRow, int[][] offsets, int[][] targets, long routes)
    {
        _firstRow = firstRow;
        _offsets = offsets;
        _targets = targets;
        Routes = routes;
    }

    /// <summary>The number of rows.</summary>
    public int Rows => _firstRow[^1];

    /// <summary>The number of routes, over every segment.</summary>
    public long Routes { get; }

    /// <summary>The number of segments.</summary>
    public int Count => _offsets.Length;

    /// <summary>The first row of segment <paramref name="segment"/>.</summary>
    public int FirstRow(int segment) => _firstRow[segment];

    /// <summary>Segment <paramref name="segment"/>'s local offsets (its rows + 1 entries, starting at 0).</summary>
    public int[] OffsetsOf(int segment) => _offsets[segment];

    /// <summary>Segment <paramref name="segment"/>'s targets.</summary>
    public int[] TargetsOf(int segment) => _targets[segment];

    /// <summary>Copies contiguous compact routes (<paramref name="rows"/> + 1 offsets from 0, and their targets) into new segments.</summary>
    public static RouteSegments Copy(ReadOnlySpan<int> offsets, ReadOnlySpan<int> targets, int rows)
    {
        // Pass 1: where the segments start (each takes whole rows while both limits allow, and at least one row).
        int count = 0;
        for (int row = 0; row < rows; row = End(offsets, row, rows))
        {
            count++;
        }

        var firstRow = new int[count + 1];
        var segmentOffsets = new int[count][];
        var segmentTargets = new int[count][];
        int start = 0;
        for (int g = 0; g < count; g++)
        {
            int end = End(offsets, start, rows);
            int from = offsets[start];
            int length = offsets[end] - from;
            var local = GC.AllocateUninitializedArray<int>(end - start + 1);
            for (int r = start; r <= end; r++)
            {
                local[r - start] = offsets[r] - from;
            }

            int[] routes = length == 0 ? [] : GC.AllocateUninitializedArray<int>(length);
            targets.Slice(from, length).CopyTo(routes);
            firstRow[g] = start;
            segmentOffsets[g] = local;
            segmentTargets[g] = routes;
            start = end;
        }

        firstRow[count] = rows;
        return new RouteSegments(firstRow, segmentOffsets, segmentTargets, offsets[rows]);
    }

    /// <summary>The routes of row <paramref name="row"/> (in <c>[0, Rows)</c>, checked by the caller).</summary>
    public ReadOnlySpan<int> Row(int row)
    {
        int segment = Count == 1 ? 0 : SegmentOf(row);
        int[] local = _offsets[segment];
        int at = row - _firstRow[segment];
        int from = local[at];
        return _targets[segment].AsSpan(from, local[at + 1] - from);
    }

    /// <summary>Writes the contiguous form: <c>Rows + 1</c> offsets and <see cref="Routes"/> targets.</summary>
    public void Flatten(Span<int> offsets, Span<int> targets)
    {
        int used = 0;
        for (int g = 0; g < Count; g++)
        {
            int[] local = _offsets[g];
            int first = _firstRow[g];
            for (int r = 0; r < local.Length - 1; r++)
            {
                offsets[first + r] = used + local[r];
            }

            _targets[g].CopyTo(targets[used..]);
            used += _targets[g].Length;
        }

        offsets[Rows] = used;
    }

    /// <summary>The segment holding <paramref name="row"/>: the last whose first row is at most it.</summary>
    private int SegmentOf(int row)
    {
        int found = _firstRow.AsSpan(0, Count).BinarySearch(row);
        return found >= 0 ? found : ~found - 1;
    }

    /// <summary>The end (exclusive) of the segment starting at <paramref name="start"/>.</summary>
    private static int End(ReadOnlySpan<int> offsets, int start, int rows)
    {
        int last = (int)Math.Min(rows, (long)start + MaxRows);
        long limit = (long)offsets[start] + MaxTargets;
        int end = start + 1;
        while (end < last && offsets[end + 1] <= limit)
        {
            end++;
        }

        return end;
    }
}
