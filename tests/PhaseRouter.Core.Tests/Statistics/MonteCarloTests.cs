using PhaseRouter.Statistics;

namespace PhaseRouter.Core.Tests.Statistics;

public class MonteCarloTests
{
    private static readonly int[] SourceDegrees = Enumerable.Range(0, 60).Select(i => 1 + i * 7 % 40).ToArray();
    private static readonly int[] TargetDegrees = Enumerable.Range(0, 40).Select(j => j * 11 % 61).ToArray();

    [Fact]
    public void SampleMany_IsOrderedBySeed_AndIndependentOfParallelism()
    {
        const ulong seedBase = ulong.MaxValue - 3; // wraps past 2⁶⁴
        LoadSamples parallel = RoutingStatistics.SampleMany(SourceDegrees, TargetDegrees, 5, 9, seedBase);
        LoadSamples serial = RoutingStatistics.SampleMany(SourceDegrees, TargetDegrees, 5, 9, seedBase,
            new RouterOptions { MaxDegreeOfParallelism = 1 });
        Assert.Equal(serial.ToArray(), parallel.ToArray());
        for (int m = 0; m < 9; m++)
        {
            RoutingResult direct = Router.RouteDegrees(SourceDegrees, TargetDegrees, 5,
                new RouterOptions { Seed = unchecked(seedBase + (ulong)m) });
            Assert.Equal(direct.TargetLoads.ToArray(), parallel.Loads(m).ToArray());
            Assert.Equal(direct.ActiveRoutes, parallel.ActiveRoutes(m));
            Assert.Equal(unchecked(seedBase + (ulong)m), parallel.SeedOf(m));
        }

        Assert.Equal((60, 40, 5), (parallel.Sources, parallel.Targets, parallel.K));
    }

    [Fact]
    public void MonteCarlo_FollowsItsDefinitions()
    {
        // Three calls over three targets; per target the loads are [4, 0, 2], [0, 2, 2] and [2, 4, 2].
        LoadSamples samples = LoadSamples.FromLoads([[4, 0, 2], [0, 2, 4], [2, 2, 2]]);
        MonteCarloStats stats = RoutingStatistics.MonteCarlo(samples, [2.0, 1.0, 0.0], [1, 1, 2]);
        Assert.Equal([2.0, 4.0 / 3, 8.0 / 3], stats.MeanLoad.ToArray(), new Near());

        // The original's figures (numpy): population std, linear-interpolation percentile (index 0.95·(n − 1) = 1.9),
        // temporal skew max/mean per target.
        Assert.Equal([Math.Sqrt(8.0 / 3), Math.Sqrt(8.0 / 9), Math.Sqrt(8.0 / 9)], stats.StdLoad.ToArray(), new Near());
        Assert.Equal([2 + 0.9 * 2, 2.0, 2 + 0.9 * 2], stats.P95Load.ToArray(), new Near());
        Assert.Equal([4 / 2.0, 2 / (4.0 / 3), 4 / (8.0 / 3)], stats.TemporalSkew.ToArray(), new Near());
        Assert.Equal(8.0 / 3 / 2.0, stats.GlobalSkew, 12);

        // The original's ideal mean: the routed mass 6 shared in proportion to t = [1, 1, 2].
        Assert.Equal([1.5, 1.5, 3.0], stats.IdealMean!.ToArray(), new Near());
        Assert.Equal([0.5, -1.0 / 6, -1.0 / 3], stats.Bias!.ToArray(), new Near());
        Assert.Equal([1.0 / 3, -1.0 / 9, -1.0 / 9], stats.RelativeError!.ToArray(), new Near());

        // This library's figures: unbiased std, observed-load quantile, mean per-call skew, the given expectation.
        Assert.Equal([2.0, Math.Sqrt(4.0 / 3), Math.Sqrt(4.0 / 3)], stats.SampleStdLoad.ToArray(), new Near());
        Assert.Equal([4.0, 2.0, 4.0], stats.P95LoadObserved);
        Assert.Equal([4, 2, 4], stats.MaxLoad);
        Assert.Equal(4, stats.PeakLoad);
        Assert.Equal((4 + 4 + 2) / 3.0, stats.MeanPeakLoad, 12);
        Assert.Equal(6, stats.MeanActiveRoutes);
        Assert.Equal((4 / 2.0 + 4 / 2.0 + 2 / 2.0) / 3, stats.MeanCallSkew, 12);
        Assert.Equal([0.0, 1.0 / 3, 8.0 / 3], stats.ExpectedBias!.ToArray(), new Near());
        Assert.Equal(0.0, stats.ExpectedRelativeError![0]);
        Assert.Equal(1.0 / 3, stats.ExpectedRelativeError[1], 12);
        Assert.Equal(double.PositiveInfinity, stats.ExpectedRelativeError[2]);
        Assert.Equal(1.0 / 3, stats.MaxRelativeError, 12);
        Assert.False(stats.ExpectedIsExact);
    }

    [Fact]
    public void MonteCarlo_OriginalFigures_HandleEmptyTargets_AsTheOriginalDoes()
    {
        // A target never loaded has temporal skew 1; a target of degree 0 has ideal 0 and relative error 0; a single
        // sample has population std 0 (the unbiased one is undefined).
        LoadSamples samples = LoadSamples.FromLoads([[3, 0, 1]]);
        MonteCarloStats stats = RoutingStatistics.MonteCarlo(samples, targetDegrees: [0, 1, 1]);
        Assert.Equal([1.0, 1.0, 1.0], stats.TemporalSkew);
        Assert.Equal([0.0, 0.0, 0.0], stats.StdLoad);
        Assert.All(stats.SampleStdLoad, v => Assert.True(double.IsNaN(v)));
        Assert.Equal([0.0, 2.0, 2.0], stats.IdealMean!.ToArray(), new Near());
        Assert.Equal([0.0, -1.0, -0.5], stats.RelativeError!.ToArray(), new Near());
        Assert.Null(stats.ExpectedLoad);
        Assert.Null(RoutingStatistics.MonteCarlo(samples, targetDegrees: [0, 0, 0]).IdealMean);
    }

    [Fact]
    public void MonteCarlo_OnDegrees_ComparesWithTheExactLaw_AndDropsItForScores()
    {
        MonteCarloStats plain = RoutingStatistics.MonteCarlo(SourceDegrees, TargetDegrees, 3, 8, 42);
        LoadExpectation law = RoutingStatistics.ExpectedLoads(SourceDegrees, TargetDegrees, 3);
        Assert.Equal(law.ExpectedLoad, plain.ExpectedLoad);
        Assert.True(plain.ExpectedIsExact);

        // The original's ideal is there too: the routed mass in proportion to t.
        double mass = plain.MeanLoad.Sum();
        double tSum = TargetDegrees.Sum();
        Assert.Equal(TargetDegrees.Select(t => mass * t / tSum).ToArray(), plain.IdealMean!.ToArray(), new Near());

        var scores = new float[60 * 40];
        MonteCarloStats scored = RoutingStatistics.MonteCarlo(SourceDegrees, TargetDegrees, 3, 8, 42, new RouterOptions { Scores = scores });
        Assert.Null(scored.ExpectedLoad);
        Assert.Null(scored.ExpectedBias);
        Assert.True(double.IsNaN(scored.MaxRelativeError));
        Assert.NotNull(scored.IdealMean);
    }

    [Fact]
    public void SampleMany_ReportsBadInputs_Unwrapped()
    {
        Assert.Equal("sourceDegrees", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.SampleMany([41], [1], 1, 4)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.SampleMany(SourceDegrees, TargetDegrees, 1, 0)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.SampleMany(_ => throw new InvalidOperationException(), 2, 0, 0)).ParamName);
        Assert.Throws<InvalidOperationException>(() =>
            RoutingStatistics.SampleMany(seed => seed == 3 ? throw new InvalidOperationException("boom") : Router.RouteDegrees([1], [1], 1), 6));
        Assert.Equal("route", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.SampleMany(seed => Router.RouteDegrees([1], seed == 0 ? [1] : [1, 1], 1), 3)).ParamName);
        Assert.Equal("expectedLoad", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.MonteCarlo(LoadSamples.FromLoads([[1, 2]]), [1.0])).ParamName);
        Assert.Equal("targetDegrees", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.MonteCarlo(LoadSamples.FromLoads([[1, 2]]), targetDegrees: [1])).ParamName);
        Assert.Equal("targetDegrees", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.MonteCarlo(LoadSamples.FromLoads([[1, 2]]), targetDegrees: [1, -1])).ParamName);
        Assert.Equal("loads", Assert.Throws<ArgumentException>(() => LoadSamples.FromLoads([[1, 2], [1]])).ParamName);
    }

    [Fact]
    public void HugeSampleCounts_AreAnArgumentError_NotAnOverflow()
    {
        // int.MaxValue samples of 4 targets: 8.6·10^9 loads, more than one array holds; sample 0 alone is routed.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.SampleMany([1, 2, 3, 4], [1, 2, 3, 4], 2, int.MaxValue));
        Assert.Equal("samples", e.ParamName);
        Assert.Contains("exceed the largest array", e.Message);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.MonteCarlo([1, 2, 3, 4], [1, 2, 3, 4], 2, int.MaxValue)).ParamName);
    }

    /// <summary>Equality to 12 decimal places.</summary>
    private sealed class Near : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}
