namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The test pass: accuracy and the routing of its batches in each MoE block (inference seed, fixed).</summary>
/// <param name="Accuracy">Test accuracy.</param>
/// <param name="Blocks">Each MoE block's routing over the test set, in block order.</param>
public sealed record EvaluationResult(double Accuracy, IReadOnlyList<BlockTestStats> Blocks)
{
    /// <summary>Dropped slots / slots over all MoE blocks.</summary>
    public double DroppedSlotRate => Rate(Blocks.Sum(b => b.DroppedSlots), Blocks.Sum(b => b.Slots));

    /// <summary>Spilled slots / slots over all MoE blocks.</summary>
    public double SpilledSlotRate => Rate(Blocks.Sum(b => b.SpilledSlots), Blocks.Sum(b => b.Slots));

    /// <summary>Tokens without any expert / tokens over all MoE blocks.</summary>
    public double NoExpertRate => Rate(Blocks.Sum(b => b.TokensWithoutExpert), Blocks.Sum(b => b.Tokens));

    /// <summary>MaxVio over the whole test set, mean over the MoE blocks.</summary>
    public double MaxVioGlobal => Blocks.Count == 0 ? 0 : Blocks.Average(b => b.MaxVioGlobal);

    /// <summary>Largest expert load in any block and batch.</summary>
    public int MaxLoad => Blocks.Count == 0 ? 0 : Blocks.Max(b => b.MaxLoad);

    /// <summary>Capacity per expert of a full test batch (the same in every block).</summary>
    public int Capacity => Blocks.Count == 0 ? 0 : Blocks.Max(b => b.Capacity);

    /// <summary>Mean tokens per expert per full test batch.</summary>
    public double MeanLoad => Blocks.Count == 0 ? 0 : Blocks.Average(b => b.MeanLoadPerExpert.DefaultIfEmpty(0).Average());

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
