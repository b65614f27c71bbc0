namespace PhaseRouter.Statistics;

/// <summary>One k tried by <see cref="RoutingStatistics.SuggestK(ReadOnlySpan{int}, ReadOnlySpan{int}, double, int, int?, ulong, RouterOptions?, BalanceMeasure)"/>.</summary>
/// <param name="K">The fan-out bound tried.</param>
/// <param name="GlobalSkew">Its <see cref="MonteCarloStats.GlobalSkew"/>.</param>
/// <param name="MeanCallSkew">Its <see cref="MonteCarloStats.MeanCallSkew"/>.</param>
/// <param name="MeetsTarget">Whether the measured skew is at most the target.</param>
public sealed record KEvaluation(int K, double GlobalSkew, double MeanCallSkew, bool MeetsTarget);
