using MathNet.Numerics.Statistics;

namespace PhaseRouter.Statistics;

/// <content>Monte-Carlo load statistics.</content>
public static partial class RoutingStatistics
{
    /// <summary>
    /// Load statistics over samples, compared with an expected load when one is given and with the original's
    /// degree-proportional ideal when the target degrees are given.
    /// </summary>
    /// <param name="samples">The per-seed loads.</param>
    /// <param name="expectedLoad">Expected load per target (length C), e.g. <see cref="LoadExpectation.ExpectedLoad"/>; or null.</param>
    /// <param name="targetDegrees">t (length C, each ≥ 0), for <see cref="MonteCarloStats.IdealMean"/>; or null.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="expectedLoad"/> or <paramref name="targetDegrees"/> does not have one value per target, or a degree is negative.
    /// </exception>
    public static MonteCarloStats MonteCarlo(LoadSamples samples, IReadOnlyList<double>? expectedLoad = null,
        IReadOnlyList<int>? targetDegrees = null) =>
        MonteCarlo(samples, expectedLoad, expectedIsExact: false, targetDegrees);

    /// <summary>
    /// Samples the phase router on degree vectors and compares the seed-averaged loads with the exact first-order law
    /// (<see cref="ExpectedLoads"/>), when the options allow it.
    /// </summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="samples">The number of seeds, at least 1.</param>
    /// <param name="seedBase">The seed of sample 0; sample m uses <c>seedBase + m</c>.</param>
    /// <param name="options">
    /// Options of every call (see <see cref="SampleMany(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int, ulong, RouterOptions?)"/>).
    /// With Scores, TargetCapacities or Permutations there is no exact law, and <see cref="MonteCarloStats.ExpectedLoad"/>
    /// is null; <see cref="MonteCarloStats.IdealMean"/> (the original's, from t) is always there unless t is all 0.
    /// </param>
    /// <exception cref="ArgumentException">An input is invalid.</exception>
    public static MonteCarloStats MonteCarlo(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        int samples, ulong seedBase = 0, RouterOptions? options = null)
    {
        options ??= RouterOptions.Default;
        LoadSamples loads = SampleMany(sourceDegrees, targetDegrees, k, samples, seedBase, options);
        LoadExpectation? law = LawFor(sourceDegrees.ToArray(), targetDegrees.ToArray(), k, options);
        return MonteCarlo(loads, law?.ExpectedLoad, law?.IsExact ?? false, targetDegrees.ToArray());
    }

    /// <summary>As the degree overload, on matrices (the operator only uses their row degrees).</summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="samples">The number of seeds, at least 1.</param>
    /// <param name="seedBase">The seed of sample 0.</param>
    /// <param name="options">Options of every call.</param>
    /// <exception cref="ArgumentException">An input is invalid.</exception>
    public static MonteCarloStats MonteCarlo(BitMatrix sources, BitMatrix targets, int k, int samples,
        ulong seedBase = 0, RouterOptions? options = null)
    {
        ArgumentChecks.Shapes(sources, targets);
        return MonteCarlo(sources.RowDegrees(), targets.RowDegrees(), k, samples, seedBase, options);
    }

    private static MonteCarloStats MonteCarlo(LoadSamples samples, IReadOnlyList<double>? expectedLoad, bool expectedIsExact,
        IReadOnlyList<int>? targetDegrees)
    {
        ArgumentNullException.ThrowIfNull(samples);
        int n = samples.Count;
        int columns = samples.Targets;
        if (expectedLoad is not null && expectedLoad.Count != columns)
        {
            throw new ArgumentException($"expectedLoad must hold C = {columns} values; got {expectedLoad.Count}.", nameof(expectedLoad));
        }

        if (targetDegrees is not null)
        {
            if (targetDegrees.Count != columns)
            {
                throw new ArgumentException($"targetDegrees must hold C = {columns} values; got {targetDegrees.Count}.", nameof(targetDegrees));
            }

            for (int j = 0; j < columns; j++)
            {
                if (targetDegrees[j] < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(targetDegrees), targetDegrees[j], $"targetDegrees[{j}] = {targetDegrees[j]} is negative.");
                }
            }
        }

        var mean = new double[columns];
        var std = new double[columns];
        var sampleStd = new double[columns];
        var p95 = new double[columns];
        var p95Observed = new double[columns];
        var max = new int[columns];
        var temporal = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            double[] column = samples.TargetLoads(j);
            mean[j] = ArrayStatistics.Mean(column);
            std[j] = ArrayStatistics.PopulationStandardDeviation(column);
            sampleStd[j] = n > 1 ? ArrayStatistics.StandardDeviation(column) : double.NaN;
            max[j] = (int)ArrayStatistics.Maximum(column);

            // Each quantile may reorder the column in place; the values stay the same.
            p95[j] = ArrayStatistics.QuantileCustomInplace(column, 0.95, QuantileDefinition.R7);
            p95Observed[j] = ArrayStatistics.QuantileCustomInplace(column, 0.95, QuantileDefinition.R1);
            temporal[j] = mean[j] > 0 ? max[j] / mean[j] : 1.0;
        }

        double callSkews = 0;
        int counted = 0;
        double active = 0;
        int peak = 0;
        double peaks = 0;
        for (int m = 0; m < n; m++)
        {
            ReadOnlySpan<int> loads = samples.Loads(m);
            long total = samples.ActiveRoutes(m);
            active += total;
            int top = 0;
            foreach (int load in loads)
            {
                top = Math.Max(top, load);
            }

            peak = Math.Max(peak, top);
            peaks += top;
            if (total > 0)
            {
                callSkews += top / ((double)total / columns);
                counted++;
            }
        }

        var stats = new MonteCarloStats
        {
            Samples = n,
            Targets = columns,
            SeedBase = samples.SeedBase,
            MeanLoad = mean,
            StdLoad = std,
            SampleStdLoad = sampleStd,
            P95Load = p95,
            P95LoadObserved = p95Observed,
            MaxLoad = max,
            PeakLoad = peak,
            MeanPeakLoad = peaks / n,
            MeanActiveRoutes = active / n,
            TemporalSkew = temporal,
            MeanCallSkew = counted == 0 ? double.NaN : callSkews / counted,
            GlobalSkew = Skew(mean),
        };

        return WithExpectation(WithIdealMean(stats, mean, targetDegrees), mean, expectedLoad, expectedIsExact);
    }

    /// <summary>The original's <c>ideal_mean</c>, <c>bias</c> and <c>relative_error</c>, when t is known and not all 0.</summary>
    private static MonteCarloStats WithIdealMean(MonteCarloStats stats, double[] mean, IReadOnlyList<int>? targetDegrees)
    {
        long degreeSum = targetDegrees?.Sum(t => (long)t) ?? 0;
        if (targetDegrees is null || degreeSum == 0)
        {
            return stats;
        }

        double mass = mean.Sum();
        var ideal = new double[mean.Length];
        var bias = new double[mean.Length];
        var relative = new double[mean.Length];
        for (int j = 0; j < mean.Length; j++)
        {
            ideal[j] = mass * targetDegrees[j] / degreeSum;
            bias[j] = mean[j] - ideal[j];
            relative[j] = ideal[j] > 0 ? bias[j] / ideal[j] : 0;
        }

        return stats with { IdealMean = ideal, Bias = bias, RelativeError = relative };
    }

    /// <summary>This library's comparison with an expected load (normally the exact law).</summary>
    private static MonteCarloStats WithExpectation(MonteCarloStats stats, double[] mean, IReadOnlyList<double>? expectedLoad,
        bool expectedIsExact)
    {
        if (expectedLoad is null)
        {
            return stats;
        }

        int columns = mean.Length;
        var expected = expectedLoad.ToArray();
        var bias = new double[columns];
        var relative = new double[columns];
        double worst = 0;
        for (int j = 0; j < columns; j++)
        {
            bias[j] = mean[j] - expected[j];
            relative[j] = expected[j] != 0 ? bias[j] / expected[j] : bias[j] == 0 ? 0 : double.PositiveInfinity;
            if (expected[j] > 0)
            {
                worst = Math.Max(worst, Math.Abs(relative[j]));
            }
        }

        return stats with
        {
            ExpectedLoad = expected,
            ExpectedIsExact = expectedIsExact,
            ExpectedBias = bias,
            ExpectedRelativeError = relative,
            MaxRelativeError = worst,
        };
    }

    /// <summary>max / mean of non-negative values; NaN when they are all 0 or there are none.</summary>
    private static double Skew(double[] values)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        double top = 0;
        foreach (double v in values)
        {
            sum += v;
            top = Math.Max(top, v);
        }

        return sum > 0 ? top / (sum / values.Length) : double.NaN;
    }
}
