using MathNet.Numerics.Distributions;

namespace PhaseRouter.Statistics;

/// <content>Theory against observation.</content>
public static partial class RoutingStatistics
{
    /// <summary>The smallest expected count of a chi-square bin.</summary>
    private const double MinimumExpectedPerBin = 5.0;

    /// <summary>
    /// For each k: observed skews and densities against the exact first-order law, and a chi-square fit of the
    /// per-target loads against their predicted laws; plus the observed candidate density against
    /// <c>P(j ∈ Cand_i) = s_i·t_j/(C·R)</c>.
    /// </summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="ks">The fan-out bounds to analyse, each at least 1; null for 1, 2, 4, … up to <c>⌈Σt/R⌉</c>.</param>
    /// <param name="samples">Seeds per k, at least 1.</param>
    /// <param name="seedBase">The seed of sample 0 (the same seeds for every k).</param>
    /// <param name="options">
    /// Options of every call; Scores, TargetCapacities and Permutations are refused, since the law describes random
    /// selection with seed-derived permutations.
    /// </param>
    /// <exception cref="ArgumentException">An input is out of range, or the options fall outside the law.</exception>
    public static DistributionAnalysis AnalyzeRoutingDistribution(ReadOnlySpan<int> sourceDegrees,
        ReadOnlySpan<int> targetDegrees, IReadOnlyList<int>? ks, int samples, ulong seedBase = 0,
        RouterOptions? options = null)
    {
        options ??= RouterOptions.Default;
        int[] s = ArgumentChecks.Degrees(sourceDegrees, targetDegrees.Length, nameof(sourceDegrees));
        int[] t = ArgumentChecks.Degrees(targetDegrees, sourceDegrees.Length, nameof(targetDegrees));
        StatisticsChecks.Samples(samples);
        StatisticsChecks.LawOptions(options);
        int rows = s.Length;
        int columns = t.Length;
        int maxCandidates = Math.Max(1, MaxCandidates(rows, t));
        int[] ladder = ks?.ToArray() ?? Ladder(maxCandidates);
        for (int i = 0; i < ladder.Length; i++)
        {
            if (ladder[i] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(ks), ladder[i], $"ks[{i}] = {ladder[i]} must be at least 1.");
            }
        }

        double cells = (double)rows * columns;

        // With k = ⌈Σt/R⌉ and no limits nothing is dropped, so the filled slots are exactly the candidates.
        LoadSamples uncapped = SampleMany(s, t, maxCandidates, samples, seedBase, options with { SourceLimits = null });
        double candidates = 0;
        for (int m = 0; m < samples; m++)
        {
            candidates += uncapped.ActiveRoutes(m);
        }

        double sumS = s.Sum(d => (double)d);
        double sumT = t.Sum(d => (double)d);
        var perK = new KDistribution[ladder.Length];
        for (int e = 0; e < ladder.Length; e++)
        {
            int k = ladder[e];
            LoadExpectation law = LoadExpectation.Compute(s, t, k, ArgumentChecks.Limits(options, rows, k), options.PermuteRows);
            LoadSamples loads = SampleMany(s, t, k, samples, seedBase, options);
            MonteCarloStats stats = MonteCarlo(loads, law.ExpectedLoad, law.IsExact, t);
            perK[e] = new KDistribution(k, stats.GlobalSkew, stats.MeanCallSkew, law.GlobalSkew,
                cells > 0 ? stats.MeanActiveRoutes / cells : 0, cells > 0 ? law.ExpectedActiveRoutes / cells : 0,
                stats.MaxRelativeError, law.IsExact, ChiSquareFit(loads, law));
        }

        return new DistributionAnalysis
        {
            Sources = rows,
            Targets = columns,
            Samples = samples,
            ObservedCandidateDensity = cells > 0 ? candidates / samples / cells : 0,
            ExpectedCandidateDensity = cells > 0 ? sumS * sumT / cells / cells : 0,
            PerK = perK,
        };
    }

    /// <summary>Chi-square fit of the pooled per-target loads against their laws (see <see cref="GoodnessOfFit"/>).</summary>
    /// <param name="samples">The per-seed loads.</param>
    /// <param name="law">The law of the sampled inputs, with one target per sampled target.</param>
    /// <exception cref="ArgumentException">The law has a different number of targets.</exception>
    public static GoodnessOfFit ChiSquareFit(LoadSamples samples, LoadExpectation law)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(law);
        int columns = samples.Targets;
        if (law.Targets != columns)
        {
            throw new ArgumentException($"law has {law.Targets} targets; the samples have {columns}.", nameof(law));
        }

        var laws = new TargetLoadLaw[columns];
        int low = int.MaxValue;
        int high = 0;
        LoadLawModel model = LoadLawModel.ExactHypergeometricMixture;
        for (int j = 0; j < columns; j++)
        {
            laws[j] = law.LoadLaw(j);
            low = Math.Min(low, laws[j].Minimum);
            high = Math.Max(high, laws[j].Maximum);
            if (!laws[j].IsExact)
            {
                model = LoadLawModel.ThinnedHypergeometricMixture;
            }
        }

        for (int m = 0; m < samples.Count; m++)
        {
            foreach (int load in samples.Loads(m))
            {
                low = Math.Min(low, load);
                high = Math.Max(high, load);
            }
        }

        // Observed and expected counts of every load value in [low, high].
        var observed = new double[high - low + 1];
        var expected = new double[high - low + 1];
        for (int m = 0; m < samples.Count; m++)
        {
            foreach (int load in samples.Loads(m))
            {
                observed[load - low]++;
            }
        }

        foreach (TargetLoadLaw targetLaw in laws)
        {
            for (int x = targetLaw.Minimum; x <= targetLaw.Maximum; x++)
            {
                expected[x - low] += samples.Count * targetLaw.Probability(x);
            }
        }

        // Merge adjacent values until each bin expects enough; a short remainder joins the last bin.
        var binObserved = new List<double>();
        var binExpected = new List<double>();
        double o = 0;
        double e = 0;
        for (int x = 0; x < observed.Length; x++)
        {
            o += observed[x];
            e += expected[x];
            if (e >= MinimumExpectedPerBin)
            {
                binObserved.Add(o);
                binExpected.Add(e);
                o = 0;
                e = 0;
            }
        }

        if (binObserved.Count == 0)
        {
            binObserved.Add(o);
            binExpected.Add(e);
        }
        else
        {
            binObserved[^1] += o;
            binExpected[^1] += e;
        }

        long observations = (long)samples.Count * columns;
        int bins = binObserved.Count;
        if (bins < 2)
        {
            return new GoodnessOfFit(0, 0, 1.0, bins, observations, model);
        }

        double statistic = 0;
        for (int b = 0; b < bins; b++)
        {
            double diff = binObserved[b] - binExpected[b];
            statistic += diff * diff / binExpected[b];
        }

        int freedom = bins - 1;
        return new GoodnessOfFit(statistic, freedom, 1.0 - ChiSquared.CDF(freedom, statistic), bins, observations, model);
    }

    private static int[] Ladder(int maxCandidates)
    {
        var ladder = new List<int>();
        for (int k = 1; k < maxCandidates; k *= 2)
        {
            ladder.Add(k);
        }

        ladder.Add(maxCandidates);
        return ladder.ToArray();
    }
}
