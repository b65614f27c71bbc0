namespace PhaseRouter.Statistics;

/// <summary>How a given capacity factor fares on recorded loads.</summary>
/// <param name="CapacityFactor">The capacity factor cf checked.</param>
/// <param name="Capacity">Its per-expert capacity <c>⌈cf·tokens·k/E⌉</c>.</param>
/// <param name="DropRate">The share of all slots it drops: <c>Σ max(0, load − capacity) / (steps·tokens·k)</c>.</param>
/// <param name="StepsWithDrops">The share of steps in which some expert overflows.</param>
/// <param name="Headroom">Per expert, <c>Capacity − P99Load</c>: negative where the p99 load overflows.</param>
/// <param name="Utilisation">Per expert, <c>MeanLoad / Capacity</c>.</param>
public sealed record CapacityCheck(
    double CapacityFactor,
    long Capacity,
    double DropRate,
    double StepsWithDrops,
    IReadOnlyList<double> Headroom,
    IReadOnlyList<double> Utilisation);
