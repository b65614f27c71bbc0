using PhaseRouter.Statistics;

namespace PhaseRouter.Core.Tests.Statistics;

public class CapacityEstimateTests
{
    [Fact]
    public void Estimate_FollowsItsDefinitions()
    {
        // Ten calls over two targets: target 0 takes loads 1..10, target 1 always 3.
        int[][] rows = Enumerable.Range(1, 10).Select(x => new[] { x, 3 }).ToArray();
        CapacityEstimate estimate = RoutingStatistics.EstimateCapacity(LoadSamples.FromLoads(rows), 0.9);
        Assert.Equal([9, 3], estimate.RequiredCapacity); // R1: the ⌈0.9·10⌉-th smallest load
        Assert.Equal(9.1, estimate.LinearRequiredCapacity[0], 12); // numpy: index 0.9·(10 − 1) = 8.1 between 9 and 10
        Assert.Equal(3.0, estimate.LinearRequiredCapacity[1], 12);
        Assert.Equal([5.5, 3.0], estimate.MeanLoad);
        Assert.Equal([6, 3], estimate.MeanCapacity);
        Assert.Equal([3.5, 0.0], estimate.Headroom);
        Assert.Equal([5.5 / 9, 1.0], estimate.Utilisation);
        Assert.Equal(8.5 / 12, estimate.TotalUtilisation, 12);
        Assert.Equal(9, estimate.UniformCapacity); // per-call peaks are max(x, 3): 3,3,3,4,…,10
        Assert.Null(estimate.AnalyticCapacity);
        Assert.Null(estimate.BinomialCapacity); // R is unknown for recorded loads
        Assert.Equal(2, estimate.PoissonCapacity.Count);
        Assert.Empty(estimate.Warnings);
        Assert.Contains(RoutingStatistics.EstimateCapacity(LoadSamples.FromLoads(rows), 0.95).Warnings,
            w => w.Code == RoutingWarningCode.TooFewSamples);
    }

    [Fact]
    public void EmpiricalCapacity_AgreesWithTheExactLaw()
    {
        // Uncapped (k = C), so the law is exact: the empirical p-quantile x̂ must satisfy F(x̂) ≥ p − ε and
        // F(x̂ − 1) < p + ε, with ε from the DKW inequality for every target at once.
        const int rows = 64;
        const int columns = 48;
        const int samples = 2000;
        const double p = 0.99;
        var rng = new Random(8);
        int[] s = Enumerable.Range(0, rows).Select(_ => rng.Next(columns + 1)).ToArray();
        int[] t = Enumerable.Range(0, columns).Select(_ => rng.Next(rows + 1)).ToArray();
        CapacityEstimate estimate = RoutingStatistics.EstimateCapacity(s, t, columns, p, samples, seedBase: 31);
        LoadExpectation law = RoutingStatistics.ExpectedLoads(s, t, columns);

        Assert.Equal(LoadLawModel.ExactHypergeometricMixture, estimate.AnalyticModel);
        double epsilon = Tolerances.Dkw(samples, columns);
        for (int j = 0; j < columns; j++)
        {
            TargetLoadLaw targetLaw = law.LoadLaw(j);
            int required = estimate.RequiredCapacity[j];
            Assert.True(targetLaw.CumulativeProbability(required) >= p - epsilon, $"target {j}: F({required}) too small");
            Assert.True(targetLaw.CumulativeProbability(required - 1) < p + epsilon, $"target {j}: F({required - 1}) too large");
            Assert.Equal(targetLaw.Quantile(p), estimate.AnalyticCapacity![j]);
            Assert.True(estimate.UniformCapacity >= required);
        }

        Assert.Empty(estimate.Warnings);
        Assert.NotNull(estimate.BinomialCapacity);
    }

    [Fact]
    public void Estimate_RejectsBadArguments()
    {
        LoadSamples samples = LoadSamples.FromLoads([[1, 2]]);
        Assert.Equal("confidence", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.EstimateCapacity(samples, 1.0)).ParamName);
        Assert.Equal("confidence", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.EstimateCapacity(samples, double.NaN)).ParamName);
        LoadExpectation law = RoutingStatistics.ExpectedLoads([1, 1, 1], [3], 1);
        Assert.Equal("law", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.EstimateCapacity(samples, 0.5, law)).ParamName);
    }
}
