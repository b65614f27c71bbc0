using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Engine;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>
/// The default call's result keeps its routes in segments below the large-object-heap threshold; it must hold exactly
/// what the same call writes into <see cref="RouteBuffers"/>, through every reader.
/// </summary>
public class SegmentedResultTests
{
    [Property(MaxTest = 30)]
    public void RandomShapes_DefaultResultEqualsTheBufferedOne(int seed)
    {
        var rng = new Random(seed);
        (int rows, int columns) = rng.Next(3) switch
        {
            0 => (rng.Next(1, 200), rng.Next(1, 200)),
            1 => (rng.Next(16_000, 40_000), rng.Next(1, 64)), // past the row limit, usually past the target limit
            _ => (rng.Next(500, 3_000), rng.Next(100, 600)),
        };
        (int[] s, int[] t) = RandomDegrees(rng.Next(), rows, columns);
        int k = rng.Next(1, columns + 3);
        var options = new RouterOptions { Seed = (ulong)rng.NextInt64(), Kernel = (RouterKernel)rng.Next(4) };
        int mode = rng.Next(5);
        if (mode is 1 or 3 && (long)rows * columns <= 1_000_000)
        {
            options = options with { Scores = Enumerable.Range(0, rows * columns).Select(_ => (float)rng.Next(100)).ToArray() };
        }

        if (mode is 2 or 3)
        {
            options = options with { TargetCapacities = Enumerable.Range(0, columns).Select(_ => rng.Next(rows / 4 + 2)).ToArray() };
        }

        if (mode == 4)
        {
            options = options with { SourceLimits = Enumerable.Range(0, rows).Select(_ => rng.Next(k + 1)).ToArray() };
        }

        AssertSameRoutes(Router.RouteDegrees(s, t, k, options), Router.RouteDegrees(s, t, k, new RouteBuffers(), options));
    }

    [Theory]
    [InlineData(RouterKernel.Sweep)]
    [InlineData(RouterKernel.ArcScan)]
    [InlineData(RouterKernel.BitParallel)]
    public void ManyRowsAndRoutes_SpanManySegments(RouterKernel kernel)
    {
        (int[] s, int[] t) = RandomDegrees(5, 40_000, 50, 20_000);
        var options = new RouterOptions { Seed = 9, Kernel = kernel };
        RoutingResult result = Router.RouteDegrees(s, t, 8, options);

        Assert.True(result.ActiveRoutes > 4 * 16_384, $"{result.ActiveRoutes} routes");
        Assert.True(result.Segments!.Count >= 5, $"{result.Segments.Count} segments");
        AssertSameRoutes(result, Router.RouteDegrees(s, t, 8, new RouteBuffers(), options));
    }

    [Fact]
    public void ARowLongerThanASegment_GetsASegmentOfItsOwn()
    {
        // Every target accepts every source (t_j = R) and source 1 wants all of them: a row of C routes.
        const int C = 24_000;
        int[] s = [3, C, 0, 17, C - 1];
        int[] t = Enumerable.Repeat(s.Length, C).ToArray();
        var options = new RouterOptions { Seed = 4 };
        RoutingResult result = Router.RouteDegrees(s, t, C, options);

        Assert.Equal(C, result.RoutesOf(1).Length);
        Assert.Equal(C - 1, result.RoutesOf(4).Length);
        var segments = result.Segments!;
        Assert.Equal([0, 1, 2, 4], Enumerable.Range(0, segments.Count).Select(segments.FirstRow));
        Assert.Equal(C, segments.TargetsOf(1).Length);
        AssertSameRoutes(result, Router.RouteDegrees(s, t, C, new RouteBuffers(), options));
    }

    [Fact]
    public void CappedAndScoredRoutes_AreSegmentedToo()
    {
        const int R = 20_000;
        const int C = 40;
        (int[] s, int[] t) = RandomDegrees(8, R, C, R / 2);
        var rng = new Random(8);
        float[] scores = Enumerable.Range(0, R * C).Select(_ => (float)rng.NextDouble()).ToArray();
        int[] capacities = Enumerable.Range(0, C).Select(_ => rng.Next(500, 3_000)).ToArray();
        foreach (RouterOptions options in new[]
        {
            new RouterOptions { Seed = 1, Scores = scores },
            new RouterOptions { Seed = 2, TargetCapacities = capacities },
            new RouterOptions { Seed = 3, Scores = scores, TargetCapacities = capacities },
        })
        {
            RoutingResult result = Router.RouteDegrees(s, t, 6, options);
            Assert.True(result.Segments!.Count > 1);
            AssertSameRoutes(result, Router.RouteDegrees(s, t, 6, new RouteBuffers(), options));
        }
    }

    [Fact]
    public void AShardWithoutBuffers_IsSegmented_AndEqualsTheBufferedShard()
    {
        const int R = 60_000;
        (int[] s, int[] t) = RandomDegrees(3, R, 30);
        var options = new RouterOptions { Seed = 6, PermutationMethod = PermutationMethod.Feistel };
        const int Lo = 7_000;
        const int Hi = 52_000;
        RoutingResult shard = Router.RouteShard(s, t, 5, Lo, Hi, options);
        RoutingResult buffered = Router.RouteShard(R, Lo, s.AsSpan(Lo, Hi - Lo), s.Take(Lo).Sum(), t, 5, new RouteBuffers(), options);

        Assert.Equal(Lo, shard.FirstSource);
        Assert.True(shard.Segments!.Count > 2);
        AssertSameRoutes(shard, buffered);
    }

    [Fact]
    public void ADefaultResult_OutlivesTheNextCalls()
    {
        // The next calls on this thread reuse the staging the first was routed through; the result must not see it.
        (int[] s, int[] t) = RandomDegrees(2, 30_000, 40);
        RoutingResult first = Router.RouteDegrees(s, t, 9, new RouterOptions { Seed = 1 });
        int[] rows = first.ToArray();

        Router.RouteDegrees(s, t, 9, new RouterOptions { Seed = 2 });
        Router.RouteDegrees(s, t, 9, new RouterOptions { Seed = 3, Kernel = RouterKernel.ArcScan });
        Router.RouteShard(s, t, 9, 100, 29_000, new RouterOptions { Seed = 4 });

        Assert.Equal(rows, first.ToArray());
        AssertSameRoutes(first, Router.RouteDegrees(s, t, 9, new RouteBuffers(), new RouterOptions { Seed = 1 }));
    }

    [Theory]
    [InlineData(RouterKernel.Sweep)]
    [InlineData(RouterKernel.ArcScan)]
    public void AWarmDefaultCall_AllocatesItsResultAndLittleElse(RouterKernel kernel)
    {
        // The staging lives in the thread's workspace: once warm, a call allocates the result's segments and loads
        // (O(R + C + routes)), not a second copy of the routes. One thread, so that every allocation is counted here.
        (int[] s, int[] t) = RandomDegrees(11, 6_000, 300, 3_000);
        var options = new RouterOptions { Seed = 5, Kernel = kernel, MaxDegreeOfParallelism = 1 };
        RoutingResult result = Router.RouteDegrees(s, t, 64, options);
        for (int warm = 0; warm < 5; warm++)
        {
            result = Router.RouteDegrees(s, t, 64, options);
        }

        long quietest = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            result = Router.RouteDegrees(s, t, 64, options);
            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        int segments = result.Segments!.Count;
        long payload = 4 * (result.ActiveRoutes + result.Sources + segments + t.Length);
        Assert.True(segments > 3, $"{segments} segments");
        Assert.InRange(quietest - payload, 0, 8 * 1024);
    }

    /// <summary>Source degrees uniform in [0, C]; target degrees uniform in [<paramref name="minTargetDegree"/>, R].</summary>
    private static (int[] S, int[] T) RandomDegrees(int seed, int rows, int columns, int minTargetDegree = 0)
    {
        var rng = new Random(seed);
        int[] s = Enumerable.Range(0, rows).Select(_ => rng.Next(columns + 1)).ToArray();
        int[] t = Enumerable.Range(0, columns).Select(_ => rng.Next(minTargetDegree, rows + 1)).ToArray();
        return (s, t);
    }

    /// <summary>
    /// A segmented result holds the buffered result's routes: row by row, padded, flattened (built once and then cached),
    /// and with the same loads and counts; and every segment stays below the large-object-heap threshold.
    /// </summary>
    private static void AssertSameRoutes(RoutingResult segmented, RoutingResult buffered)
    {
        Assert.NotNull(segmented.Segments);
        Assert.Null(buffered.Segments);
        RouteSegmentsTests.AssertWithinLimits(segmented.Segments);
        Assert.Equal(buffered.FirstSource, segmented.FirstSource);
        Assert.Equal(buffered.Sources, segmented.Sources);
        Assert.Equal(buffered.ActiveRoutes, segmented.ActiveRoutes);
        Assert.Equal(buffered.SlotsUnfilledByCapacity, segmented.SlotsUnfilledByCapacity);
        Assert.Equal(buffered.TargetLoads.ToArray(), segmented.TargetLoads.ToArray());
        for (int r = 0; r < buffered.Sources; r++)
        {
            if (!buffered.RoutesOf(r).SequenceEqual(segmented.RoutesOf(r)))
            {
                Assert.Fail($"row {r} differs");
            }
        }

        if ((long)buffered.Sources * buffered.K <= 4_000_000)
        {
            var padded = new int[buffered.Sources * buffered.K];
            segmented.CopyTo(padded);
            Assert.True(buffered.ToArray().AsSpan().SequenceEqual(padded), "padded view");
        }

        ReadOnlySpan<int> offsets = segmented.RouteOffsets;
        ReadOnlySpan<int> targets = segmented.RouteTargets;
        Assert.True(buffered.RouteOffsets.SequenceEqual(offsets));
        Assert.True(buffered.RouteTargets.SequenceEqual(targets));
        Assert.True(offsets == segmented.RouteOffsets && targets == segmented.RouteTargets, "the flattened form is cached");
    }
}
