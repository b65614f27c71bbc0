using PhaseRouter.Statistics;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Per-expert training load of one gate, with the capacity it trained under.</summary>
/// <param name="Gate">Gate name.</param>
/// <param name="Capacity">Capacity per expert in training.</param>
/// <param name="Loads">Load statistics of each expert (after capacity).</param>
/// <param name="Demand">Uncapped demand statistics of each expert (its choices before capacity: top-k by logit, or the hash choices).</param>
/// <param name="DemandRequirements">Capacity needed for 0% and 1% drops if this gate's demand were routed by top-k with dropping.</param>
public sealed record GateLoadProfile(
    string Gate,
    int Capacity,
    IReadOnlyList<ExpertLoadStats> Loads,
    IReadOnlyList<ExpertLoadStats> Demand,
    IReadOnlyList<CapacityRequirement> DemandRequirements);
