using MathNet.Numerics.Statistics;

namespace PhaseRouter.Statistics;

/// <content>Monte-Carlo load statistics.</content>
public static partial class RoutingStatistics
{
    /// <summary>Load statistics over samples, compared with an ideal mean when one is given.</summary>
    /// <param name="samples">The per-seed loads.</param>
    /// <param name="idealMean">Expected load per target (length C), e.g. <see cref="LoadExpectation.ExpectedLoad"/>; or null.</param>
    /// <exception cref="ArgumentException"><paramref name="idealMean"/> does not have one value per target.</exception>
    public static MonteCarloStats MonteCarlo(LoadSamples samples, IReadOnlyList<double>? idealMean = null) =>
        MonteCarlo(samples, idealMean, idealIsExact: false);

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
    /// With Scores, TargetCapacities or Permutations there is no ideal, and <see cref="MonteCarloStats.IdealMean"/> is null.
    /// </param>
    /// <exception cref="ArgumentException">An input is invalid.</exception>
    public static MonteCarloStats MonteCarlo(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        int samples, ulong seedBase = 0, RouterOptions? options = null)
    {
        options ??= RouterOptions.Default;
        LoadSamples loads = SampleMany(sourceDegrees, targetDegrees, k, samples, seedBase, options);
        LoadExpectation? law = LawFor(sourceDegrees.ToArray(), targetDegrees.ToArray(), k, options);
        return MonteCarlo(loads, law?.ExpectedLoad, law?.IsExact ?? false);
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

    private static MonteCarloStats MonteCarlo(LoadSamples samples, IReadOnlyList<double>? idealMean, bool idealIsExact)
    {
        ArgumentNullException.ThrowIfNull(samples);
        int n = samples.Count;
        int columns = samples.Targets;
        if (idealMean is not null && idealMean.Count != columns)
        {
            throw new ArgumentException($"idealMean must hold C = {columns} values; got {idealMean.Count}.", nameof(idealMean));
        }

        var mean = new double[columns];
        var std = new double[columns];
        var p95 = new double[columns];
        var max = new int[columns];
        for (int j = 0; j < columns; j++)
        {
            double[] column = samples.TargetLoads(j);
            mean[j] = ArrayStatistics.Mean(column);
            std[j] = n > 1 ? ArrayStatistics.StandardDeviation(column) : double.NaN;
            max[j] = (int)ArrayStatistics.Maximum(column);
            p95[j] = ArrayStatistics.QuantileCustomInplace(column, 0.95, QuantileDefinition.R1);
        }

        double temporal = 0;
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
                temporal += top / ((double)total / columns);
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
            P95Load = p95,
            MaxLoad = max,
            PeakLoad = peak,
            MeanPeakLoad = peaks / n,
            MeanActiveRoutes = active / n,
            TemporalSkew = counted == 0 ? double.NaN : temporal / counted,
            GlobalSkew = Skew(mean),
        };

        if (idealMean is null)
        {
            return stats;
        }

        var ideal = idealMean.ToArray();
        var bias = new double[columns];
        var relative = new double[columns];
        double worst = 0;
        for (int j = 0; j < columns; j++)
        {
            bias[j] = mean[j] - ideal[j];
            relative[j] = ideal[j] != 0 ? bias[j] / ideal[j] : bias[j] == 0 ? 0 : double.PositiveInfinity;
            if (ideal[j] > 0)
            {
                worst = Math.Max(worst, Math.Abs(relative[j]));
            }
        }

        return stats with
        {
            IdealMean = ideal,
            IdealIsExact = idealIsExact,
            Bias = bias,
            RelativeError = relative,
            MaxRelativeError = worst,
        };
    }

    /// <summary>max / mean of non-negative values; NaN when they are all 0 or there are none.</summary>
    private static double Skew(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
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

        return sum > 0 ? top / (sum / values.Count) : double.NaN;
    }
}
