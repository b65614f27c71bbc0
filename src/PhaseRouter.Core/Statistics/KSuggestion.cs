namespace PhaseRouter.Statistics;

/// <summary>
/// The smallest fan-out bound whose measured skew meets a target (SPEC §4 <c>SuggestKForBalance</c>), from
/// <see cref="RoutingStatistics.SuggestK(ReadOnlySpan{int}, ReadOnlySpan{int}, double, int, int?, ulong, RouterOptions?, BalanceMeasure)"/>.
/// </summary>
public sealed record KSuggestion
{
    /// <summary>The smallest k found whose skew is at most <see cref="TargetSkew"/>, or null when even the largest k tried misses it.</summary>
    public required int? K { get; init; }

    /// <summary>The skew asked for.</summary>
    public required double TargetSkew { get; init; }

    /// <summary>Which skew was compared with the target.</summary>
    public required BalanceMeasure Measure { get; init; }

    /// <summary>The largest k considered.</summary>
    public required int KMax { get; init; }

    /// <summary>Every k evaluated by the binary search, in ascending k.</summary>
    public required IReadOnlyList<KEvaluation> Evaluations { get; init; }

    /// <summary>Whether the evaluated skews never rise as k grows (the premise of the binary search).</summary>
    public required bool IsMonotone { get; init; }

    /// <summary><see cref="RoutingWarningCode.TargetSkewUnreachable"/> and <see cref="RoutingWarningCode.NonMonotoneSkew"/>, when they apply.</summary>
    public required IReadOnlyList<RoutingWarning> Warnings { get; init; }
}
