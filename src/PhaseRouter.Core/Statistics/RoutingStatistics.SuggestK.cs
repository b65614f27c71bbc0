namespace PhaseRouter.Statistics;

/// <content>Choosing the fan-out bound.</content>
public static partial class RoutingStatistics
{
    /// <summary>
    /// The smallest k in <c>[1, kMax]</c> whose skew over <paramref name="samples"/> seeds is at most
    /// <paramref name="targetSkew"/>, by binary search (which assumes skew does not rise with k; every evaluated k is
    /// reported and a warning raised when the evaluations contradict that).
    /// </summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="targetSkew">The largest acceptable skew, at least 1 (skew is max/mean, never below 1).</param>
    /// <param name="samples">Seeds per evaluated k, at least 1.</param>
    /// <param name="kMax">The largest k to consider; null for <c>max(1, min(C, ⌈Σt/R⌉))</c>, beyond which nothing changes.</param>
    /// <param name="seedBase">The seed of sample 0 (the same seeds are used for every k).</param>
    /// <param name="options">Options of every call.</param>
    /// <param name="measure">Which skew to compare with the target.</param>
    /// <exception cref="ArgumentException">An input is out of range.</exception>
    public static KSuggestion SuggestK(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, double targetSkew,
        int samples, int? kMax = null, ulong seedBase = 0, RouterOptions? options = null,
        BalanceMeasure measure = BalanceMeasure.GlobalSkew)
    {
        options ??= RouterOptions.Default;
        int[] s = ArgumentChecks.Degrees(sourceDegrees, targetDegrees.Length, nameof(sourceDegrees));
        int[] t = ArgumentChecks.Degrees(targetDegrees, sourceDegrees.Length, nameof(targetDegrees));
        int largest = kMax ?? Math.Max(1, MaxCandidates(s.Length, t));
        RouterOptions single = options;
        return SuggestK((k, seed) => Router.RouteDegrees(s, t, k, single with { Seed = seed, MaxDegreeOfParallelism = 1 }),
            targetSkew, largest, samples, seedBase, options.MaxDegreeOfParallelism, measure);
    }

    /// <summary>
    /// As the degree overload, for any router given as <c>(k, seed) → RoutingResult</c> (e.g. the hash baseline).
    /// </summary>
    /// <param name="route">The router for a k and a seed; thread-safe, ideally single-threaded.</param>
    /// <param name="targetSkew">The largest acceptable skew, at least 1.</param>
    /// <param name="kMax">The largest k to consider, at least 1.</param>
    /// <param name="samples">Seeds per evaluated k, at least 1.</param>
    /// <param name="seedBase">The seed of sample 0.</param>
    /// <param name="maxDegreeOfParallelism">Samples routed at once; -1 for every core.</param>
    /// <param name="measure">Which skew to compare with the target.</param>
    /// <exception cref="ArgumentException">An input is out of range.</exception>
    public static KSuggestion SuggestK(Func<int, ulong, RoutingResult> route, double targetSkew, int kMax, int samples,
        ulong seedBase = 0, int maxDegreeOfParallelism = -1, BalanceMeasure measure = BalanceMeasure.GlobalSkew)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (!(targetSkew >= 1) || double.IsPositiveInfinity(targetSkew))
        {
            throw new ArgumentOutOfRangeException(nameof(targetSkew), targetSkew,
                "targetSkew must be finite and at least 1 (skew is max/mean, never below 1).");
        }

        ArgumentChecks.K(kMax, nameof(kMax));
        StatisticsChecks.Samples(samples);
        ArgumentChecks.Parallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (!Enum.IsDefined(measure))
        {
            throw new ArgumentOutOfRangeException(nameof(measure), measure, "measure is not a BalanceMeasure.");
        }

        var evaluated = new SortedDictionary<int, KEvaluation>();
        KEvaluation Evaluate(int k)
        {
            MonteCarloStats stats = MonteCarlo(SampleMany(seed => route(k, seed), samples, seedBase, maxDegreeOfParallelism));
            double skew = measure == BalanceMeasure.GlobalSkew ? stats.GlobalSkew : stats.MeanCallSkew;
            var evaluation = new KEvaluation(k, stats.GlobalSkew, stats.MeanCallSkew, skew <= targetSkew);
            evaluated[k] = evaluation;
            return evaluation;
        }

        var warnings = new List<RoutingWarning>();
        int? found = null;
        if (Evaluate(kMax).MeetsTarget)
        {
            int lo = 1;
            int hi = kMax;
            while (lo < hi)
            {
                int mid = lo + (hi - lo) / 2;
                if (Evaluate(mid).MeetsTarget)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            found = hi;
        }
        else
        {
            warnings.Add(new RoutingWarning(RoutingWarningCode.TargetSkewUnreachable,
                $"Even k = {kMax} gives {measure} {Measured(evaluated[kMax], measure):0.###} > target {targetSkew}."));
        }

        KEvaluation[] ordered = evaluated.Values.ToArray();
        bool monotone = true;
        for (int e = 1; e < ordered.Length; e++)
        {
            if (Measured(ordered[e], measure) > Measured(ordered[e - 1], measure))
            {
                monotone = false;
                warnings.Add(new RoutingWarning(RoutingWarningCode.NonMonotoneSkew,
                    $"{measure} rises from {Measured(ordered[e - 1], measure):0.###} at k = {ordered[e - 1].K} to " +
                    $"{Measured(ordered[e], measure):0.###} at k = {ordered[e].K}; the binary search assumes it never rises, " +
                    "so a smaller k may also meet the target."));
                break;
            }
        }

        return new KSuggestion
        {
            K = found,
            TargetSkew = targetSkew,
            Measure = measure,
            KMax = kMax,
            Evaluations = ordered,
            IsMonotone = monotone,
            Warnings = warnings,
        };
    }

    private static double Measured(KEvaluation evaluation, BalanceMeasure measure) =>
        measure == BalanceMeasure.GlobalSkew ? evaluation.GlobalSkew : evaluation.MeanCallSkew;

    /// <summary><c>min(C, ⌈Σt/R⌉)</c>, the most candidates any source can have (0 without sources).</summary>
    private static int MaxCandidates(int rows, int[] targetDegrees)
    {
        if (rows == 0)
        {
            return 0;
        }

        long sum = 0;
        foreach (int d in targetDegrees)
        {
            sum += d;
        }

        return (int)Math.Min(targetDegrees.Length, (sum + rows - 1) / rows);
    }
}
