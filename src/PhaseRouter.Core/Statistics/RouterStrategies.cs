using PhaseRouter.Baselines;

namespace PhaseRouter.Statistics;

/// <summary>
/// Ready-made routers for the seed-averaged statistics: each returns a <c>Func&lt;ulong, RoutingResult&gt;</c> that
/// routes fixed inputs with the given seed, on one thread (the statistics run the samples in parallel instead).
/// Degrees, k and options are checked by the router at the first call, which
/// <see cref="RoutingStatistics.SampleMany(Func{ulong, RoutingResult}, int, ulong, int)"/> makes before going parallel,
/// so a bad input surfaces as the router's own <see cref="ArgumentException"/>.
/// </summary>
public static class RouterStrategies
{
    /// <summary>The phase router on degree vectors (<see cref="Router.RouteDegrees(ReadOnlySpan{int}, ReadOnlySpan{int}, int, RouterOptions?)"/>).</summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>; copied.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>; copied.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">Options; <see cref="RouterOptions.Seed"/> is replaced by the sample's seed and
    /// <see cref="RouterOptions.MaxDegreeOfParallelism"/> by 1.</param>
    public static Func<ulong, RoutingResult> Phase(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        RouterOptions? options = null)
    {
        int[] s = sourceDegrees.ToArray();
        int[] t = targetDegrees.ToArray();
        RouterOptions single = (options ?? RouterOptions.Default) with { MaxDegreeOfParallelism = 1 };
        return seed => Router.RouteDegrees(s, t, k, single with { Seed = seed });
    }

    /// <summary>The phase router on matrices (<see cref="Router.Route(BitMatrix, BitMatrix, int, RouterOptions?)"/>).</summary>
    /// <param name="sources">S, <c>R × C</c>; its degrees are counted once, now.</param>
    /// <param name="targets">T, <c>C × R</c>; its degrees are counted once, now.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">Options, as for <see cref="Phase(ReadOnlySpan{int}, ReadOnlySpan{int}, int, RouterOptions?)"/>.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public static Func<ulong, RoutingResult> Phase(BitMatrix sources, BitMatrix targets, int k, RouterOptions? options = null)
    {
        ArgumentChecks.Shapes(sources, targets);

        // The operator depends only on the degrees (SPEC §1 step 1), so the matrices are reduced once.
        return Phase(sources.RowDegrees(), targets.RowDegrees(), k, options);
    }

    /// <summary>The hash baseline (<see cref="HashRouter.Route(BitMatrix, BitMatrix, int, RouterOptions?)"/>).</summary>
    /// <param name="sources">S, <c>R × C</c>: the targets each source may use.</param>
    /// <param name="targets">T, <c>C × R</c>: the sources each target accepts; transposed once per call.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">Options, as for <see cref="Phase(ReadOnlySpan{int}, ReadOnlySpan{int}, int, RouterOptions?)"/>.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public static Func<ulong, RoutingResult> Hash(BitMatrix sources, BitMatrix targets, int k, RouterOptions? options = null)
    {
        ArgumentChecks.Shapes(sources, targets);
        RouterOptions single = (options ?? RouterOptions.Default) with { MaxDegreeOfParallelism = 1 };
        return seed => HashRouter.Route(sources, targets, k, single with { Seed = seed });
    }
}
