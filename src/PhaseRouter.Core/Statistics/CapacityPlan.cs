namespace PhaseRouter.Statistics;

/// <summary>
/// Capacity planning from per-step expert loads recorded by a training loop (e.g. a mixture-of-experts load monitor),
/// where each step routes <c>tokens</c> tokens to k experts each and an expert of capacity c keeps at most c of them,
/// with <c>c = ⌈cf·tokens·k/E⌉</c> for a capacity factor cf. Per-expert lists have length E. From
/// <see cref="RoutingStatistics.EstimateCapacity(IReadOnlyList{long[]}, int, int, IReadOnlyList{double}?, double?)"/>.
/// </summary>
/// <remarks>
/// Drops are counted on the recorded loads as <c>max(0, load − c)</c> per expert and step, that is, for a router that
/// drops overflow rather than re-routing it, with the loads it would have produced uncapped.
/// </remarks>
public sealed record CapacityPlan
{
    /// <summary>The number of recorded steps.</summary>
    public required int Steps { get; init; }

    /// <summary>E, the number of experts.</summary>
    public required int Experts { get; init; }

    /// <summary>Tokens per step.</summary>
    public required int Tokens { get; init; }

    /// <summary>Experts per token, k.</summary>
    public required int K { get; init; }

    /// <summary><c>tokens·k</c>: the slots of one step.</summary>
    public required long SlotsPerStep { get; init; }

    /// <summary><c>tokens·k/E</c>: the load of every expert under perfect balance (capacity factor 1).</summary>
    public required double BalancedLoad { get; init; }

    /// <summary>Per expert, the mean load over steps.</summary>
    public required IReadOnlyList<double> MeanLoad { get; init; }

    /// <summary>Per expert, the empirical median load over steps (MathNet R1).</summary>
    public required IReadOnlyList<double> P50Load { get; init; }

    /// <summary>Per expert, the empirical 0.99-quantile of the load over steps (MathNet R1).</summary>
    public required IReadOnlyList<double> P99Load { get; init; }

    /// <summary>Per expert, the largest load of any step.</summary>
    public required IReadOnlyList<long> MaxLoad { get; init; }

    /// <summary>
    /// The largest mean load over <see cref="BalancedLoad"/>: the capacity factor the persistent imbalance alone needs.
    /// </summary>
    public required double MeanImbalance { get; init; }

    /// <summary>
    /// For reference, the 0.99-quantile of <c>Binomial(tokens, k/E)</c>: an expert's load under an ideally balanced
    /// random gate (each token picks its k experts uniformly), from MathNet's <c>Binomial.CDF</c>.
    /// </summary>
    public required int BalancedRandomP99Load { get; init; }

    /// <summary>One entry per asked drop rate, in the order asked.</summary>
    public required IReadOnlyList<CapacityRequirement> Requirements { get; init; }

    /// <summary>The check of the given capacity factor, or null when none was given.</summary>
    public CapacityCheck? Check { get; init; }
}
