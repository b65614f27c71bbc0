using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Reference;
using PhaseRouter.Statistics;

namespace PhaseRouter.Core.Tests.Statistics;

/// <summary>The first-order law of SPEC §1 and its exact extension under the fan-out cap, against seeds.</summary>
public class FirstOrderLawTests
{
    private static (int[] S, int[] T) Degrees(int seed, int rows, int columns)
    {
        var rng = new Random(seed);
        return (Enumerable.Range(0, rows).Select(_ => rng.Next(columns + 1)).ToArray(),
            Enumerable.Range(0, columns).Select(_ => rng.Next(rows + 1)).ToArray());
    }

    [Fact]
    public void SeedAveragedLoads_MatchFirstOrderLaw_WhenKDoesNotCap()
    {
        const int rows = 40;
        const int columns = 32;
        const int samples = 4000;
        var (s, t) = Degrees(1, rows, columns);
        int k = columns; // k ≥ C ≥ ⌈Σt/R⌉: selection never caps, load_j = |{i : j ∈ Cand_i}|.
        MonteCarloStats stats = RoutingStatistics.MonteCarlo(s, t, k, samples, seedBase: 100);

        double z = Tolerances.Z(columns);
        for (int j = 0; j < columns; j++)
        {
            // E[load_j] = Σ_i s_i t_j/(C·R); the variance of a sum of independent Bernoulli(p_ij) (the binomial
            // variance), or the sample variance if larger, bounds the spread of the seed average.
            double[] p = s.Select(si => (double)si * t[j] / (columns * rows)).ToArray();
            double ideal = p.Sum();
            double variance = Math.Max(p.Sum(q => q * (1 - q)), stats.SampleStdLoad[j] * stats.SampleStdLoad[j]);
            double tolerance = z * Math.Sqrt(variance / samples);
            Assert.Equal(ideal, stats.ExpectedLoad![j], 9);
            Assert.True(Math.Abs(stats.MeanLoad[j] - ideal) <= tolerance,
                $"target {j}: mean {stats.MeanLoad[j]:F4}, ideal {ideal:F4}, tolerance {tolerance:F4}");
        }

        Assert.True(stats.ExpectedIsExact);
    }

    [Fact]
    public void CandidateProbability_OverSeeds_IsProductOfDegreeShares()
    {
        const int rows = 12;
        const int columns = 10;
        const int samples = 3000;
        var (s, t) = Degrees(2, rows, columns);
        var counts = new int[rows, columns];
        for (int m = 0; m < samples; m++)
        {
            BitMatrix cand = Router.CandidatesFromDegrees(s, t, new RouterOptions { Seed = (ulong)m + 5000 });
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    counts[i, j] += cand[i, j] ? 1 : 0;
                }
            }
        }

        LoadExpectation law = RoutingStatistics.ExpectedLoads(s, t, 1);
        double z = Tolerances.Z(rows * columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                // Seeds are independent draws, so the count is Binomial(samples, p) exactly.
                double p = (double)s[i] * t[j] / (columns * rows);
                Assert.Equal(p, law.CandidateProbability(i, j), 12);
                double tolerance = z * Math.Sqrt(p * (1 - p) / samples);
                Assert.True(Math.Abs((double)counts[i, j] / samples - p) <= tolerance,
                    $"({i}, {j}): observed {(double)counts[i, j] / samples:F4}, law {p:F4}");
            }
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    public void SeedAveragedLoads_MatchExactLaw_UnderTheCap(int k, bool withLimits)
    {
        const int rows = 30;
        const int columns = 24;
        const int samples = 6000;
        var (s, t) = Degrees(3 + k, rows, columns);
        int[]? limits = withLimits ? Enumerable.Range(0, rows).Select(i => i % (k + 1)).ToArray() : null;
        var options = new RouterOptions { SourceLimits = limits };
        LoadExpectation law = RoutingStatistics.ExpectedLoads(s, t, k, options);
        Assert.True(law.SelectionCanCap);
        Assert.True(law.IsExact);
        MonteCarloStats stats = RoutingStatistics.MonteCarlo(s, t, k, samples, seedBase: 9000, options);

        double z = Tolerances.Z(columns);
        for (int j = 0; j < columns; j++)
        {
            double variance = Math.Max(law.LoadLaw(j).Variance, stats.SampleStdLoad[j] * stats.SampleStdLoad[j]);
            double tolerance = z * Math.Sqrt(variance / samples);
            Assert.True(Math.Abs(stats.MeanLoad[j] - law.ExpectedLoad[j]) <= tolerance,
                $"target {j}: mean {stats.MeanLoad[j]:F4}, law {law.ExpectedLoad[j]:F4}, tolerance {tolerance:F4}");
        }
    }

    [Property(MaxTest = 80)]
    public bool ExpectedLoad_IsConsistent(int seed, bool permuteRows)
    {
        var p = Problem.Random(seed, maxSide: 40);
        int[] s = p.SourceDegrees;
        int[] t = p.TargetDegrees;
        LoadExpectation law = RoutingStatistics.ExpectedLoads(s, t, p.K, new RouterOptions { PermuteRows = permuteRows });
        for (int j = 0; j < p.C; j++)
        {
            double fromPairs = Enumerable.Range(0, p.R).Sum(i => law.SelectionProbability(i, j));
            double candidates = Enumerable.Range(0, p.R).Sum(i => law.CandidateProbability(i, j));
            TargetLoadLaw targetLaw = law.LoadLaw(j);
            bool ok = Close(fromPairs, law.ExpectedLoad[j])
                && Close(candidates, law.CandidateLoad[j])
                && law.ExpectedLoad[j] <= law.CandidateLoad[j] + 1e-9
                && Close(targetLaw.Mean, law.ExpectedLoad[j])
                && (law.SelectionCanCap || Close(law.ExpectedLoad[j], law.CandidateLoad[j]))
                && (p.K < law.MaxCandidates || !law.SelectionCanCap)
                && targetLaw.CumulativeProbability(targetLaw.Maximum) == 1.0;
            if (!ok)
            {
                return false;
            }
        }

        return Close(law.ExpectedActiveRoutes, law.ExpectedLoad.Sum());
    }

    [Fact]
    public void ExpectedLoads_RejectsOptionsOutsideTheLaw()
    {
        int[] s = [1, 2];
        int[] t = [2, 1, 0];
        Assert.Equal("options", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.ExpectedLoads(s, t, 1, new RouterOptions { TargetCapacities = [1, 1, 1] })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.ExpectedLoads(s, t, 1, new RouterOptions { Scores = new float[6] })).ParamName);
        Assert.Equal("sourceDegrees", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.ExpectedLoads([4, 0], t, 1)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => RoutingStatistics.ExpectedLoads(s, t, 0)).ParamName);
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
}
