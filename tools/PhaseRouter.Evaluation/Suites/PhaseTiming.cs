using System.Diagnostics;
using PhaseRouter.Baselines;

namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// Timed routing calls. <c>OperatorMs</c> is the operator alone on degree vectors (what the original's "routing" time
/// covers once its matrices are packed); <c>CallMs</c> is the whole call on bit matrices, degree counting included.
/// </summary>
public static class PhaseTiming
{
    private static int _warmedUp;

    /// <summary>Routes once on a small input so that the first measured call does not pay for the JIT.</summary>
    public static void WarmUp()
    {
        if (Interlocked.Exchange(ref _warmedUp, 1) == 1)
        {
            return;
        }

        int[] s = Enumerable.Range(0, 512).Select(i => 1 + i % 64).ToArray();
        for (int r = 0; r < 3; r++)
        {
            Router.RouteDegrees(s, s, 32, new RouterOptions { Seed = (ulong)r });
            var m = BitMatrix.FromDegrees(s, 512);
            Router.Route(m, m, 32, new RouterOptions { Seed = (ulong)r });
            HashRouter.Route(m, m, 32, new RouterOptions { Seed = (ulong)r });
        }
    }

    /// <summary>The phase router on matrices, timed; and the operator alone on the same degrees, timed.</summary>
    /// <param name="sources">S.</param>
    /// <param name="targets">T.</param>
    /// <param name="k">k.</param>
    /// <param name="seed">The routing seed.</param>
    /// <param name="timeOperator">
    /// Whether to route a second time on degrees to time the operator alone (NaN otherwise); off where the padded
    /// result is large, since it allocates a second one.
    /// </param>
    public static (RoutingResult Result, double CallMs, double OperatorMs) Phase(BitMatrix sources, BitMatrix targets, int k, ulong seed,
        bool timeOperator = true)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        var options = new RouterOptions { Seed = seed };
        long start = Stopwatch.GetTimestamp();
        RoutingResult result = Router.Route(sources, targets, k, options);
        double callMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!timeOperator)
        {
            return (result, callMs, double.NaN);
        }

        int[] s = sources.RowDegrees();
        int[] t = targets.RowDegrees();
        start = Stopwatch.GetTimestamp();
        RoutingResult again = Router.RouteDegrees(s, t, k, options);
        double operatorMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (again.ActiveRoutes != result.ActiveRoutes)
        {
            throw new InvalidOperationException("The degree entry point disagrees with the matrix entry point.");
        }

        return (result, callMs, operatorMs);
    }

    /// <summary>The hash baseline, timed.</summary>
    /// <param name="sources">S.</param>
    /// <param name="targets">T.</param>
    /// <param name="k">k.</param>
    /// <param name="seed">The hash seed.</param>
    public static (RoutingResult Result, double Ms) Hash(BitMatrix sources, BitMatrix targets, int k, ulong seed)
    {
        long start = Stopwatch.GetTimestamp();
        RoutingResult result = HashRouter.Route(sources, targets, k, new RouterOptions { Seed = seed });
        return (result, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
}
