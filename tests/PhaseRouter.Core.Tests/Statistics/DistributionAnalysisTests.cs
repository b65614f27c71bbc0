using MathNet.Numerics.Statistics;
using PhaseRouter.Statistics;

namespace PhaseRouter.Core.Tests.Statistics;

public class DistributionAnalysisTests
{
    private const int Rows = 96;
    private const int Columns = 64;
    private const int Samples = 300;
    private static readonly int[] SourceDegrees = Enumerable.Range(0, Rows).Select(i => 1 + i * 37 % Columns).ToArray();
    private static readonly int[] TargetDegrees = Enumerable.Range(0, Columns).Select(j => j * 53 % (Rows + 1)).ToArray();

    [Fact]
    public void Analysis_MatchesTheory()
    {
        DistributionAnalysis analysis = RoutingStatistics.AnalyzeRoutingDistribution(SourceDegrees, TargetDegrees, null, Samples, 17);
        LoadExpectation uncapped = RoutingStatistics.ExpectedLoads(SourceDegrees, TargetDegrees, Columns);
        int maxCandidates = uncapped.MaxCandidates;

        // Density of Cand: exact expectation, and the observed mean within a z-bound of the per-call spread.
        double cells = (double)Rows * Columns;
        Assert.Equal(SourceDegrees.Sum() * (double)TargetDegrees.Sum() / cells / cells, analysis.ExpectedCandidateDensity, 12);
        LoadSamples calls = RoutingStatistics.SampleMany(SourceDegrees, TargetDegrees, maxCandidates, Samples, 17);
        double[] perCall = Enumerable.Range(0, Samples).Select(m => calls.ActiveRoutes(m) / cells).ToArray();
        Assert.Equal(perCall.Average(), analysis.ObservedCandidateDensity, 12);
        Assert.True(Math.Abs(analysis.ObservedCandidateDensity - analysis.ExpectedCandidateDensity)
            <= Tolerances.Z(1) * ArrayStatistics.StandardDeviation(perCall) / Math.Sqrt(Samples));

        // The default ladder: 1, 2, 4, … below ⌈Σt/R⌉, then ⌈Σt/R⌉.
        int[] ks = analysis.PerK.Select(d => d.K).ToArray();
        Assert.Equal(maxCandidates, ks[^1]);
        Assert.Equal(Enumerable.Range(0, ks.Length - 1).Select(e => 1 << e), ks[..^1]);

        foreach (KDistribution d in analysis.PerK)
        {
            LoadExpectation law = RoutingStatistics.ExpectedLoads(SourceDegrees, TargetDegrees, d.K);
            Assert.Equal(law.ExpectedActiveRoutes / cells, d.ExpectedRouteDensity, 12);
            Assert.Equal(law.GlobalSkew, d.ExpectedGlobalSkew, 12);
            Assert.Equal(d.K < maxCandidates ? LoadLawModel.ThinnedHypergeometricMixture : LoadLawModel.ExactHypergeometricMixture, d.Fit.Model);
            Assert.True(d.ExpectedIsExact);
        }

        // Where the law is exact, the chi-square test must not reject at the false-alarm budget.
        GoodnessOfFit exact = analysis.PerK[^1].Fit;
        Assert.True(exact.PValue > Tolerances.FalseAlarm, $"p = {exact.PValue}, χ² = {exact.Statistic}, df = {exact.DegreesOfFreedom}");
        Assert.True(exact.DegreesOfFreedom >= 5);
        Assert.Equal((long)Samples * Columns, exact.Observations);
    }

    [Fact]
    public void ChiSquareFit_RejectsTheWrongLaw()
    {
        // Loads routed with k = 1 against the uncapped law: far fewer routes than predicted.
        LoadSamples loads = RoutingStatistics.SampleMany(SourceDegrees, TargetDegrees, 1, 100, 3);
        LoadExpectation wrong = RoutingStatistics.ExpectedLoads(SourceDegrees, TargetDegrees, Columns);
        Assert.True(RoutingStatistics.ChiSquareFit(loads, wrong).PValue < Tolerances.FalseAlarm);
    }

    [Fact]
    public void Analysis_RejectsOptionsOutsideTheLaw_AndBadKs()
    {
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => RoutingStatistics.AnalyzeRoutingDistribution(
            SourceDegrees, TargetDegrees, [1], 2, 0, new RouterOptions { Scores = new float[Rows * Columns] })).ParamName);
        Assert.Equal("ks", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.AnalyzeRoutingDistribution(SourceDegrees, TargetDegrees, [2, 0], 2)).ParamName);
    }
}
