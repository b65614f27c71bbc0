using System.Runtime.ExceptionServices;

namespace PhaseRouter.Statistics;

/// <summary>
/// Seed-averaged Monte-Carlo statistics over a router used as a black box (SPEC §4, the original's
/// <c>router_stats</c>), the exact first-order law to compare them with, and capacity planning.
/// </summary>
/// <remarks>
/// Sample m is routed with seed <c>seedBase + m</c>. Samples run in parallel (each routing call on one thread) and
/// are stored by index, so every result is deterministic for a seed base whatever the thread count.
/// Quantiles are MathNet's <c>QuantileDefinition.R1</c> (the inverse of the empirical distribution function): the
/// p-quantile is a load actually observed, and at least a fraction p of the samples are at or below it.
/// </remarks>
public static partial class RoutingStatistics
{
    /// <summary>Routes <paramref name="samples"/> seeds with any router and collects the per-target loads.</summary>
    /// <param name="route">
    /// The router: given a seed, one routing call. Called from several threads at once, so it must be thread-safe;
    /// it should route on one thread (see <see cref="RouterStrategies"/>). Every call must return the same number of
    /// targets.
    /// </param>
    /// <param name="samples">The number of seeds, at least 1.</param>
    /// <param name="seedBase">The seed of sample 0; sample m uses <c>seedBase + m</c>.</param>
    /// <param name="maxDegreeOfParallelism">Samples routed at once; -1 (the default) for every core.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="samples"/> or <paramref name="maxDegreeOfParallelism"/> is out of range, or the router returned
    /// null or results of different widths. Exceptions thrown by the router propagate unwrapped.
    /// </exception>
    public static LoadSamples SampleMany(Func<ulong, RoutingResult> route, int samples, ulong seedBase = 0,
        int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(route);
        StatisticsChecks.Samples(samples);
        ArgumentChecks.Parallelism(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));

        // Sample 0 runs alone first: it fixes the width and lets input errors surface as the router threw them.
        RoutingResult first = route(seedBase) ?? throw new ArgumentException("route returned null for sample 0.", nameof(route));
        int targets = first.Targets;
        if ((long)samples * targets > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples,
                $"samples·C = {samples}·{targets} = {(long)samples * targets} loads exceed the largest array ({Array.MaxLength}); take fewer samples.");
        }

        var loads = new int[(long)samples * targets];
        var active = new long[samples];
        first.TargetLoads.CopyTo(loads);
        active[0] = first.ActiveRoutes;
        if (samples > 1)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
            try
            {
                Parallel.For(1, samples, parallel, m =>
                {
                    RoutingResult r = route(unchecked(seedBase + (ulong)m))
                        ?? throw new ArgumentException($"route returned null for sample {m}.", nameof(route));
                    if (r.Targets != targets)
                    {
                        throw new ArgumentException(
                            $"route returned {r.Targets} targets for sample {m} but {targets} for sample 0.", nameof(route));
                    }

                    r.TargetLoads.CopyTo(loads.AsSpan((int)((long)m * targets), targets));
                    active[m] = r.ActiveRoutes;
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                throw;
            }
        }

        return new LoadSamples(seedBase, samples, first.Sources, targets, first.K, loads, active);
    }

    /// <summary>Routes <paramref name="samples"/> seeds with the phase router on degree vectors.</summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="samples">The number of seeds, at least 1.</param>
    /// <param name="seedBase">The seed of sample 0; sample m uses <c>seedBase + m</c>.</param>
    /// <param name="options">
    /// Options of every call; the seed is replaced per sample, and <see cref="RouterOptions.MaxDegreeOfParallelism"/>
    /// bounds the samples routed at once (each call runs on one thread).
    /// </param>
    /// <exception cref="ArgumentException">An input is invalid, as <see cref="Router.RouteDegrees(ReadOnlySpan{int}, ReadOnlySpan{int}, int, RouterOptions?)"/> reports it.</exception>
    public static LoadSamples SampleMany(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        int samples, ulong seedBase = 0, RouterOptions? options = null)
    {
        options ??= RouterOptions.Default;
        StatisticsChecks.Samples(samples);
        return SampleMany(RouterStrategies.Phase(sourceDegrees, targetDegrees, k, options), samples, seedBase,
            options.MaxDegreeOfParallelism);
    }

    /// <summary>Routes <paramref name="samples"/> seeds with the phase router on matrices.</summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="samples">The number of seeds, at least 1.</param>
    /// <param name="seedBase">The seed of sample 0; sample m uses <c>seedBase + m</c>.</param>
    /// <param name="options">Options of every call, as for the degree overload.</param>
    /// <exception cref="ArgumentException">An input is invalid, as <see cref="Router.Route(BitMatrix, BitMatrix, int, RouterOptions?)"/> reports it.</exception>
    public static LoadSamples SampleMany(BitMatrix sources, BitMatrix targets, int k, int samples, ulong seedBase = 0,
        RouterOptions? options = null)
    {
        ArgumentChecks.Shapes(sources, targets);
        return SampleMany(sources.RowDegrees(), targets.RowDegrees(), k, samples, seedBase, options);
    }

    /// <summary>The exact first-order law of the phase router for these degrees (see <see cref="LoadExpectation"/>).</summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">
    /// Options; <see cref="RouterOptions.SourceLimits"/> and <see cref="RouterOptions.PermuteRows"/> are taken into
    /// account, the seed is irrelevant (the law averages over seeds).
    /// </param>
    /// <exception cref="ArgumentException">
    /// A degree or k is out of range, or the options set Scores, TargetCapacities or Permutations, which the law does not
    /// describe.
    /// </exception>
    public static LoadExpectation ExpectedLoads(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        RouterOptions? options = null)
    {
        options ??= RouterOptions.Default;
        int[] s = ArgumentChecks.Degrees(sourceDegrees, targetDegrees.Length, nameof(sourceDegrees));
        int[] t = ArgumentChecks.Degrees(targetDegrees, sourceDegrees.Length, nameof(targetDegrees));
        ArgumentChecks.K(k);
        StatisticsChecks.LawOptions(options);
        int[]? limits = ArgumentChecks.Limits(options, s.Length, k);
        return LoadExpectation.Compute(s, t, k, limits, options.PermuteRows);
    }

    private static LoadExpectation? LawFor(int[] s, int[] t, int k, RouterOptions options) =>
        StatisticsChecks.LawApplies(options)
            ? LoadExpectation.Compute(s, t, k, ArgumentChecks.Limits(options, s.Length, k), options.PermuteRows)
            : null;
}
