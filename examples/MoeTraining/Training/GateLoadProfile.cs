namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Per-expert training load of one gate, with the capacity it trained under.</summary>
/// <param name="Gate">Gate name.</param>
/// <param name="Capacity">Capacity per expert in training.</param>
/// <param name="Loads">Load statistics of each expert (after capacity).</param>
/// <param name="Demand">Uncapped demand statistics of each expert (before capacity).</param>
public sealed record GateLoadProfile(
    string Gate,
    int Capacity,
    IReadOnlyList<ExpertLoadStats> Loads,
    IReadOnlyList<ExpertLoadStats> Demand);
