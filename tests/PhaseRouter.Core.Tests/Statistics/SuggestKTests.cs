using PhaseRouter.Statistics;

namespace PhaseRouter.Core.Tests.Statistics;

public class SuggestKTests
{
    private static readonly int[] SourceDegrees = Enumerable.Repeat(32, 128).ToArray();
    private static readonly int[] TargetDegrees = Enumerable.Repeat(64, 64).ToArray();

    [Fact]
    public void SuggestK_ReturnsTheSmallestK_OnAMonotoneCase()
    {
        const int samples = 16;
        const ulong seedBase = 7;
        const double target = 1.5;

        // Brute force over every k with the same seeds: the per-call skew falls as k grows here.
        int kMax = 32;
        double[] curve = Enumerable.Range(1, kMax).Select(k =>
            RoutingStatistics.MonteCarlo(SourceDegrees, TargetDegrees, k, samples, seedBase).MeanCallSkew).ToArray();
        for (int k = 1; k < kMax; k++)
        {
            Assert.True(curve[k] <= curve[k - 1], $"precondition: skew rises from k = {k} to {k + 1}");
        }

        int smallest = Array.FindIndex(curve, skew => skew <= target) + 1;
        KSuggestion suggestion = RoutingStatistics.SuggestK(SourceDegrees, TargetDegrees, target, samples, null, seedBase,
            measure: BalanceMeasure.MeanCallSkew);

        Assert.Equal(smallest, suggestion.K);
        Assert.Equal(kMax, suggestion.KMax); // ⌈Σt/R⌉ = 64·64/128
        Assert.True(suggestion.IsMonotone);
        Assert.Empty(suggestion.Warnings);
        Assert.True(suggestion.Evaluations.Count <= 1 + (int)Math.Ceiling(Math.Log2(kMax)));
        foreach (KEvaluation e in suggestion.Evaluations)
        {
            Assert.Equal(curve[e.K - 1], e.MeanCallSkew);
            Assert.Equal(e.MeanCallSkew <= target, e.MeetsTarget);
        }

        Assert.Equal(suggestion.Evaluations.OrderBy(e => e.K), suggestion.Evaluations);
    }

    [Fact]
    public void SuggestK_ReportsAnUnreachableTarget()
    {
        KSuggestion suggestion = RoutingStatistics.SuggestK(SourceDegrees, TargetDegrees, 1.0, 4, kMax: 8);
        Assert.Null(suggestion.K);
        Assert.Contains(suggestion.Warnings, w => w.Code == RoutingWarningCode.TargetSkewUnreachable);
        Assert.Equal(8, Assert.Single(suggestion.Evaluations).K);
    }

    [Fact]
    public void SuggestK_WarnsWhenEvaluationsAreNotMonotone()
    {
        // A router whose skew is 2 at k = 1, 1 at k = 2 and 4, and 1.4 at k = 8: the search finds 2, but 8 is worse than 4.
        RoutingResult Route(int k, ulong seed)
        {
            int[] loads = k switch { 1 => [2, 0], 8 => [7, 3], _ => [1, 1] };
            return new RoutingResult(1, 2, k, new int[k], loads, null, loads.Sum(), 0, TimeSpan.Zero);
        }

        KSuggestion suggestion = RoutingStatistics.SuggestK(Route, 1.5, 8, 3);
        Assert.Equal(2, suggestion.K);
        Assert.Equal([1, 2, 4, 8], suggestion.Evaluations.Select(e => e.K));
        Assert.False(suggestion.IsMonotone);
        Assert.Contains(suggestion.Warnings, w => w.Code == RoutingWarningCode.NonMonotoneSkew);
    }

    [Fact]
    public void SuggestK_RejectsBadArguments()
    {
        Assert.Equal("targetSkew", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.SuggestK(SourceDegrees, TargetDegrees, 0.9, 4)).ParamName);
        Assert.Equal("kMax", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.SuggestK(SourceDegrees, TargetDegrees, 1.2, 4, kMax: 0)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.SuggestK(SourceDegrees, TargetDegrees, 1.2, 0)).ParamName);
    }
}
