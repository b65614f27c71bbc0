using FsCheck.Xunit;
using PhaseRouter.Engine;

namespace PhaseRouter.Core.Tests.Engine;

/// <summary>The segmented storage of a default call's routes, on synthetic compact routes.</summary>
public class RouteSegmentsTests
{
    /// <summary>The large-object-heap threshold: an array of this many bytes or more goes there.</summary>
    internal const int LargeObjectBytes = 85_000;

    [Property(MaxTest = 40)]
    public void Copy_KeepsEveryRow_AndEverySegmentBelowTheThreshold(int seed)
    {
        var rng = new Random(seed);
        int[] counts = RandomRowCounts(rng);
        (int[] offsets, int[] targets) = Compact(rng, counts);

        RouteSegments segments = RouteSegments.Copy(offsets, targets, counts.Length);

        Assert.Equal(counts.Length, segments.Rows);
        Assert.Equal(targets.Length, segments.Routes);
        for (int r = 0; r < counts.Length; r++)
        {
            if (!targets.AsSpan(offsets[r], counts[r]).SequenceEqual(segments.Row(r)))
            {
                Assert.Fail($"row {r} differs");
            }
        }

        var flatOffsets = new int[counts.Length + 1];
        var flatTargets = new int[targets.Length];
        segments.Flatten(flatOffsets, flatTargets);
        Assert.True(offsets.AsSpan().SequenceEqual(flatOffsets), "flattened offsets");
        Assert.True(targets.AsSpan().SequenceEqual(flatTargets), "flattened targets");
        AssertWithinLimits(segments);
    }

    [Fact]
    public void Copy_SplitsByRowsAndByTargets_AndGivesALongRowItsOwnSegment()
    {
        // 40,000 empty rows: three segments by the row limit alone.
        int[] empty = new int[40_000];
        (int[] offsets, int[] targets) = Compact(new Random(1), empty);
        RouteSegments byRows = RouteSegments.Copy(offsets, targets, empty.Length);
        Assert.Equal(3, byRows.Count);
        Assert.Equal([0, RouteSegments.MaxRows, 2 * RouteSegments.MaxRows], Enumerable.Range(0, 3).Select(byRows.FirstRow));

        // Rows of 1,000 routes: 16 rows fill a segment; a row of 20,000 in the middle stands alone.
        int[] counts = [.. Enumerable.Repeat(1_000, 20), 20_000, .. Enumerable.Repeat(1_000, 5)];
        (offsets, targets) = Compact(new Random(2), counts);
        RouteSegments byTargets = RouteSegments.Copy(offsets, targets, counts.Length);
        Assert.Equal([0, 16, 20, 21], Enumerable.Range(0, byTargets.Count).Select(byTargets.FirstRow));
        Assert.Equal(20_000, byTargets.TargetsOf(2).Length);
        Assert.Equal(2, byTargets.OffsetsOf(2).Length);
        AssertWithinLimits(byTargets);
    }

    [Fact]
    public void Copy_OfNoRows_HasNoSegments()
    {
        RouteSegments none = RouteSegments.Copy([0], [], 0);
        Assert.Equal(0, none.Count);
        Assert.Equal(0, none.Rows);
        var offsets = new int[1] { 7 };
        none.Flatten(offsets, []);
        Assert.Equal([0], offsets);
    }

    /// <summary>
    /// Every segment respects both limits, so each array is below the large-object-heap threshold, except a segment of
    /// a single row longer than <see cref="RouteSegments.MaxTargets"/>, whose targets cannot be split.
    /// </summary>
    internal static void AssertWithinLimits(RouteSegments segments)
    {
        for (int g = 0; g < segments.Count; g++)
        {
            int[] offsets = segments.OffsetsOf(g);
            int[] targets = segments.TargetsOf(g);
            int rows = offsets.Length - 1;
            Assert.InRange(rows, 1, RouteSegments.MaxRows);
            Assert.True(Bytes(offsets) < LargeObjectBytes, $"segment {g}: offsets of {Bytes(offsets)} bytes");
            Assert.Equal(offsets[rows], targets.Length);
            Assert.Equal(g + 1 < segments.Count ? segments.FirstRow(g + 1) : segments.Rows, segments.FirstRow(g) + rows);
            if (rows > 1 || targets.Length <= RouteSegments.MaxTargets)
            {
                Assert.InRange(targets.Length, 0, RouteSegments.MaxTargets);
                Assert.True(Bytes(targets) < LargeObjectBytes, $"segment {g}: targets of {Bytes(targets)} bytes");
            }

            // Greedy: the next segment starts only where this one could not take its first row.
            if (g + 1 < segments.Count)
            {
                int next = segments.OffsetsOf(g + 1)[1];
                Assert.True(rows == RouteSegments.MaxRows || (long)targets.Length + next > RouteSegments.MaxTargets, $"segment {g} stopped early");
            }
        }
    }

    /// <summary>An int array's size on the heap: header, method table and length, then the elements.</summary>
    private static long Bytes(int[] array) => 3L * IntPtr.Size + 4L * array.Length;

    private static int[] RandomRowCounts(Random rng)
    {
        int rows = rng.Next(4) switch
        {
            0 => rng.Next(0, 50),
            1 => rng.Next(16_000, 50_000), // past the row limit
            _ => rng.Next(50, 1_500),
        };

        // Up to about 2 million routes in all, so that a case stays fast.
        int longest = Math.Max(3, 2_000_000 / Math.Max(1, rows));
        int style = rng.Next(3);
        return Enumerable.Range(0, rows).Select(_ => style switch
        {
            0 => rng.Next(3),
            1 => rng.Next(40) == 0 ? rng.Next(10_000, 30_000) : rng.Next(Math.Min(200, longest)), // some rows past the target limit
            _ => rng.Next(Math.Min(2_000, longest)),
        }).ToArray();
    }

    private static (int[] Offsets, int[] Targets) Compact(Random rng, int[] counts)
    {
        var offsets = new int[counts.Length + 1];
        for (int r = 0; r < counts.Length; r++)
        {
            offsets[r + 1] = offsets[r] + counts[r];
        }

        var targets = new int[offsets[^1]];
        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = rng.Next(100_000);
        }

        return (offsets, targets);
    }
}
