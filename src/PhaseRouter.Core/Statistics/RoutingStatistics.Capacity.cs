using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using PhaseRouter.Gating;

namespace PhaseRouter.Statistics;

/// <content>Capacity planning.</content>
public static partial class RoutingStatistics
{
    /// <summary>The drop rates planned for when none are given: none dropped, and 1% dropped.</summary>
    private static readonly double[] DefaultDropRates = [0.0, 0.01];

    /// <summary>
    /// Per-target capacities that cover the load with confidence <paramref name="confidence"/>, measured from samples,
    /// with the analytic counterparts alongside.
    /// </summary>
    /// <param name="samples">The per-seed loads.</param>
    /// <param name="confidence">p in <c>(0, 1)</c>, e.g. 0.99.</param>
    /// <param name="law">
    /// The router's first-order law for the sampled inputs, for <see cref="CapacityEstimate.AnalyticCapacity"/>; or
    /// null. It must have one target per sampled target.
    /// </param>
    /// <exception cref="ArgumentException">p is outside <c>(0, 1)</c>, or the law has a different number of targets.</exception>
    public static CapacityEstimate EstimateCapacity(LoadSamples samples, double confidence, LoadExpectation? law = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        StatisticsChecks.Confidence(confidence);
        int n = samples.Count;
        int columns = samples.Targets;
        if (law is not null && law.Targets != columns)
        {
            throw new ArgumentException($"law has {law.Targets} targets; the samples have {columns}.", nameof(law));
        }

        var required = new int[columns];
        var linear = new double[columns];
        var mean = new double[columns];
        var meanCapacity = new int[columns];
        var headroom = new double[columns];
        var utilisation = new double[columns];
        double sumMean = 0;
        long sumRequired = 0;
        for (int j = 0; j < columns; j++)
        {
            double[] column = samples.TargetLoads(j);
            mean[j] = ArrayStatistics.Mean(column);
            required[j] = (int)ArrayStatistics.QuantileCustomInplace(column, confidence, QuantileDefinition.R1);
            linear[j] = ArrayStatistics.QuantileCustomInplace(column, confidence, QuantileDefinition.R7);
            meanCapacity[j] = (int)Math.Ceiling(mean[j]);
            headroom[j] = required[j] - mean[j];
            utilisation[j] = required[j] > 0 ? mean[j] / required[j] : 1.0;
            sumMean += mean[j];
            sumRequired += required[j];
        }

        var peaks = new double[n];
        for (int m = 0; m < n; m++)
        {
            int top = 0;
            foreach (int load in samples.Loads(m))
            {
                top = Math.Max(top, load);
            }

            peaks[m] = top;
        }

        int[]? analytic = null;
        LoadLawModel? model = null;
        if (law is not null)
        {
            analytic = new int[columns];
            for (int j = 0; j < columns; j++)
            {
                TargetLoadLaw targetLaw = law.LoadLaw(j);
                analytic[j] = targetLaw.Quantile(confidence);
                if (!targetLaw.IsExact)
                {
                    model = LoadLawModel.ThinnedHypergeometricMixture;
                }
            }

            model ??= LoadLawModel.ExactHypergeometricMixture;
        }

        int rows = law?.Sources ?? samples.Sources;
        int[]? binomial = rows > 0 ? new int[columns] : null;
        var poisson = new int[columns];
        for (int j = 0; j < columns; j++)
        {
            double expected = law?.ExpectedLoad[j] ?? mean[j];
            poisson[j] = PoissonQuantile(expected, confidence);
            if (binomial is not null)
            {
                binomial[j] = BinomialQuantile(Math.Clamp(expected / rows, 0, 1), rows, confidence);
            }
        }

        var warnings = new List<RoutingWarning>();
        if (TooFewSamples(n, confidence) is { } warning)
        {
            warnings.Add(warning);
        }

        return new CapacityEstimate
        {
            Confidence = confidence,
            Samples = n,
            RequiredCapacity = required,
            LinearRequiredCapacity = linear,
            MeanLoad = mean,
            MeanCapacity = meanCapacity,
            Headroom = headroom,
            Utilisation = utilisation,
            TotalUtilisation = sumRequired > 0 ? sumMean / sumRequired : 1.0,
            UniformCapacity = (int)ArrayStatistics.QuantileCustomInplace(peaks, confidence, QuantileDefinition.R1),
            AnalyticCapacity = analytic,
            AnalyticModel = model,
            BinomialCapacity = binomial,
            PoissonCapacity = poisson,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Samples the phase router on degree vectors and estimates capacities, with the exact law alongside when the
    /// options allow it (see <see cref="EstimateCapacity(LoadSamples, double, LoadExpectation?)"/>).
    /// </summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="confidence">p in <c>(0, 1)</c>.</param>
    /// <param name="samples">The number of seeds, at least 1 (at least <c>1/(1 − p)</c> for a meaningful tail).</param>
    /// <param name="seedBase">The seed of sample 0.</param>
    /// <param name="options">Options of every call.</param>
    /// <exception cref="ArgumentException">An input is invalid.</exception>
    public static CapacityEstimate EstimateCapacity(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees,
        int k, double confidence, int samples, ulong seedBase = 0, RouterOptions? options = null)
    {
        options ??= RouterOptions.Default;
        StatisticsChecks.Confidence(confidence);
        LoadSamples loads = SampleMany(sourceDegrees, targetDegrees, k, samples, seedBase, options);
        return EstimateCapacity(loads, confidence, LawFor(sourceDegrees.ToArray(), targetDegrees.ToArray(), k, options));
    }

    /// <summary>
    /// Plans expert capacity from recorded per-step loads: per-expert p50/p99 load, the capacity factor needed for each
    /// drop rate, and optionally how a given capacity factor fares (see <see cref="CapacityPlan"/>).
    /// </summary>
    /// <param name="stepLoads">One row per step, each of length E ≥ 1, every load ≥ 0, each row adding up to at most tokens·k.</param>
    /// <param name="tokens">Tokens per step, at least 1.</param>
    /// <param name="k">Experts per token, in <c>[1, E]</c>.</param>
    /// <param name="dropRates">Acceptable shares of dropped slots, each in <c>[0, 1)</c>; null for 0 and 0.01.</param>
    /// <param name="capacityFactor">A capacity factor to check, finite and positive; or null.</param>
    /// <exception cref="ArgumentException">An input is out of range; the message names it and its value.</exception>
    public static CapacityPlan EstimateCapacity(IReadOnlyList<long[]> stepLoads, int tokens, int k,
        IReadOnlyList<double>? dropRates = null, double? capacityFactor = null)
    {
        ArgumentNullException.ThrowIfNull(stepLoads);
        if (stepLoads.Count == 0)
        {
            throw new ArgumentException("stepLoads must hold at least one step.", nameof(stepLoads));
        }

        int experts = stepLoads[0]?.Length ?? throw new ArgumentException("stepLoads[0] is null.", nameof(stepLoads));
        if (experts == 0)
        {
            throw new ArgumentException("stepLoads[0] is empty; a step needs at least one expert.", nameof(stepLoads));
        }

        if (tokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "tokens must be at least 1.");
        }

        if (k < 1 || k > experts)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, E = {experts}].");
        }

        double[] rates = (dropRates ?? DefaultDropRates).ToArray();
        for (int r = 0; r < rates.Length; r++)
        {
            if (!(rates[r] >= 0 && rates[r] < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(dropRates), rates[r], $"dropRates[{r}] = {rates[r]} must be in [0, 1).");
            }
        }

        if (capacityFactor is { } cfGiven && !(cfGiven > 0 && double.IsFinite(cfGiven)))
        {
            throw new ArgumentOutOfRangeException(nameof(capacityFactor), cfGiven, "capacityFactor must be finite and positive.");
        }

        int steps = stepLoads.Count;
        long slots = (long)tokens * k;
        var columns = new double[experts][];
        for (int e = 0; e < experts; e++)
        {
            columns[e] = new double[steps];
        }

        var maxLoad = new long[experts];
        long peak = 0;
        for (int step = 0; step < steps; step++)
        {
            long[] row = stepLoads[step] ?? throw new ArgumentException($"stepLoads[{step}] is null.", nameof(stepLoads));
            if (row.Length != experts)
            {
                throw new ArgumentException($"stepLoads[{step}] has {row.Length} experts; stepLoads[0] has {experts}.", nameof(stepLoads));
            }

            long sum = 0;
            for (int e = 0; e < experts; e++)
            {
                long load = row[e];
                if (load < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(stepLoads), load, $"stepLoads[{step}][{e}] = {load} is negative.");
                }

                sum += load;
                columns[e][step] = load;
                maxLoad[e] = Math.Max(maxLoad[e], load);
            }

            if (sum > slots)
            {
                throw new ArgumentException(
                    $"stepLoads[{step}] adds up to {sum}, more than tokens·k = {tokens}·{k} = {slots} slots.", nameof(stepLoads));
            }

            peak = Math.Max(peak, maxLoad.Max());
        }

        var mean = new double[experts];
        var p50 = new double[experts];
        var p99 = new double[experts];
        for (int e = 0; e < experts; e++)
        {
            mean[e] = ArrayStatistics.Mean(columns[e]);
            p50[e] = ArrayStatistics.QuantileCustomInplace(columns[e], 0.5, QuantileDefinition.R1);
            p99[e] = ArrayStatistics.QuantileCustomInplace(columns[e], 0.99, QuantileDefinition.R1);
        }

        double totalSlots = (double)steps * slots;
        long Dropped(long capacity)
        {
            long dropped = 0;
            foreach (long[] row in stepLoads)
            {
                foreach (long load in row)
                {
                    dropped += Math.Max(0, load - capacity);
                }
            }

            return dropped;
        }

        var requirements = new CapacityRequirement[rates.Length];
        for (int r = 0; r < rates.Length; r++)
        {
            // Dropped slots fall as capacity grows: the smallest capacity within the budget, by binary search.
            double budget = rates[r] * totalSlots;
            long lo = 0;
            long hi = peak;
            while (lo < hi)
            {
                long mid = lo + (hi - lo) / 2;
                if (Dropped(mid) <= budget)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            requirements[r] = new CapacityRequirement(rates[r], lo, FactorFor(lo, tokens, k, experts), Dropped(lo) / totalSlots);
        }

        CapacityCheck? check = null;
        if (capacityFactor is { } cf)
        {
            long capacity = ExpertCapacity.Of(cf, tokens, k, experts);
            int overflowing = stepLoads.Count(row => row.Any(load => load > capacity));
            check = new CapacityCheck(cf, capacity, Dropped(capacity) / totalSlots, (double)overflowing / steps,
                p99.Select(q => capacity - q).ToArray(),
                mean.Select(m => capacity > 0 ? m / capacity : double.PositiveInfinity).ToArray());
        }

        double balanced = (double)slots / experts;
        return new CapacityPlan
        {
            Steps = steps,
            Experts = experts,
            Tokens = tokens,
            K = k,
            SlotsPerStep = slots,
            BalancedLoad = balanced,
            MeanLoad = mean,
            P50Load = p50,
            P99Load = p99,
            MaxLoad = maxLoad,
            MeanImbalance = mean.Max() / balanced,
            BalancedRandomP99Load = BinomialQuantile((double)k / experts, tokens, 0.99),
            Requirements = requirements,
            Check = check,
        };
    }

    /// <summary>As the <c>long</c> overload, for loads recorded as <c>int</c>.</summary>
    /// <param name="stepLoads">One row per step, each of length E ≥ 1.</param>
    /// <param name="tokens">Tokens per step, at least 1.</param>
    /// <param name="k">Experts per token, in <c>[1, E]</c>.</param>
    /// <param name="dropRates">Acceptable shares of dropped slots; null for 0 and 0.01.</param>
    /// <param name="capacityFactor">A capacity factor to check; or null.</param>
    /// <exception cref="ArgumentException">An input is out of range.</exception>
    public static CapacityPlan EstimateCapacity(IReadOnlyList<int[]> stepLoads, int tokens, int k,
        IReadOnlyList<double>? dropRates = null, double? capacityFactor = null)
    {
        ArgumentNullException.ThrowIfNull(stepLoads);
        var widened = new long[stepLoads.Count][];
        for (int step = 0; step < widened.Length; step++)
        {
            int[] row = stepLoads[step] ?? throw new ArgumentException($"stepLoads[{step}] is null.", nameof(stepLoads));
            widened[step] = Array.ConvertAll(row, load => (long)load);
        }

        return EstimateCapacity(widened, tokens, k, dropRates, capacityFactor);
    }

    /// <summary>
    /// The capacity factor <c>c·E/(tokens·k)</c>, nudged down until <see cref="ExpertCapacity.Of"/> gives back at most c
    /// (it is monotone in the factor).
    /// </summary>
    private static double FactorFor(long capacity, int tokens, int k, int experts)
    {
        double cf = (double)capacity * experts / ((double)tokens * k);
        while (cf > 0 && ExpertCapacity.Of(cf, tokens, k, experts) > capacity)
        {
            cf = Math.BitDecrement(cf);
        }

        return cf;
    }

    /// <summary>The smallest x with <c>Binomial(trials, p).CDF(x) ≥ probability</c>, by binary search on MathNet's CDF.</summary>
    private static int BinomialQuantile(double p, int trials, double probability)
    {
        int lo = 0;
        int hi = trials;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (Binomial.CDF(p, trials, mid) >= probability)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>The smallest x with <c>Poisson(λ).CDF(x) ≥ probability</c>, by doubling then bisection on MathNet's CDF.</summary>
    private static int PoissonQuantile(double lambda, double probability)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        int hi = Math.Max(1, (int)Math.Ceiling(lambda));
        while (Poisson.CDF(lambda, hi) < probability && hi < int.MaxValue / 2)
        {
            hi *= 2;
        }

        int lo = 0;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (Poisson.CDF(lambda, mid) >= probability)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    private static RoutingWarning? TooFewSamples(int samples, double confidence) =>
        // n < 1/(1 − p), with slack for p written in decimal (10 · (1 − 0.9) is a hair below 1 in binary).
        samples * (1 - confidence) < 1 - 1e-9
            ? new RoutingWarning(RoutingWarningCode.TooFewSamples,
                $"{samples} samples are fewer than 1/(1 − p) = {1 / (1 - confidence):0.#} for confidence p = {confidence}: " +
                "the p-quantile is then the largest sample.")
            : null;
}
