namespace PhaseRouter.Statistics;

/// <summary>Which skew <see cref="RoutingStatistics.SuggestK(ReadOnlySpan{int}, ReadOnlySpan{int}, double, int, int?, ulong, RouterOptions?, BalanceMeasure)"/> compares with its target.</summary>
public enum BalanceMeasure
{
    /// <summary><see cref="MonteCarloStats.GlobalSkew"/>: the largest seed-averaged load over the mean of them.</summary>
    GlobalSkew = 0,

    /// <summary><see cref="MonteCarloStats.MeanCallSkew"/>: per call, the largest load over the mean load, averaged over calls.</summary>
    MeanCallSkew = 1,
}
