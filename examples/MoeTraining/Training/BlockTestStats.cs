namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The routing of one MoE block over the whole test pass.</summary>
/// <param name="Block">The block index in the model.</param>
/// <param name="MeanLoadPerExpert">Mean load of each expert per full test batch.</param>
/// <param name="TotalLoadPerExpert">Tokens each expert processed over the whole test set.</param>
/// <param name="MaxLoad">Largest load of any expert in any test batch.</param>
/// <param name="Capacity">Capacity per expert of a full test batch.</param>
/// <param name="Slots">Slots routed (tokens · k).</param>
/// <param name="DroppedSlots">Slots that got no expert.</param>
/// <param name="SpilledSlots">Routed slots outside the token's top-k.</param>
/// <param name="Tokens">Tokens routed.</param>
/// <param name="TokensWithoutExpert">Tokens that got no expert.</param>
/// <param name="MaxVioGlobal">MaxVio of <paramref name="TotalLoadPerExpert"/>: the imbalance over the whole test set.</param>
public sealed record BlockTestStats(
    int Block,
    double[] MeanLoadPerExpert,
    long[] TotalLoadPerExpert,
    int MaxLoad,
    int Capacity,
    long Slots,
    long DroppedSlots,
    long SpilledSlots,
    long Tokens,
    long TokensWithoutExpert,
    double MaxVioGlobal);
