namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>What one training step measured.</summary>
/// <param name="Step">1-based step number over the whole run.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Cross-entropy of the batch (without the auxiliary loss).</param>
/// <param name="Accuracy">Training accuracy of the batch.</param>
/// <param name="StepMilliseconds">Wall time of the step (forward, backward, optimiser).</param>
/// <param name="Blocks">The routing of each MoE block, in block order.</param>
public sealed record StepRecord(
    int Step,
    int Epoch,
    double Loss,
    double Accuracy,
    double StepMilliseconds,
    IReadOnlyList<BlockRouting> Blocks)
{
    /// <summary>Routing time of the step, summed over the MoE blocks.</summary>
    public double RouterMilliseconds => Blocks.Sum(b => b.RouterMilliseconds);

    /// <summary>Slots routed in the step, over all MoE blocks.</summary>
    public long Slots => Blocks.Sum(b => (long)b.Slots);

    /// <summary>Dropped slots, over all MoE blocks.</summary>
    public long DroppedSlots => Blocks.Sum(b => (long)b.DroppedSlots);

    /// <summary>Spilled slots, over all MoE blocks.</summary>
    public long SpilledSlots => Blocks.Sum(b => (long)b.SpilledSlots);

    /// <summary>Tokens routed, over all MoE blocks.</summary>
    public long Tokens => Blocks.Sum(b => (long)b.Tokens);

    /// <summary>Tokens without any expert, over all MoE blocks.</summary>
    public long TokensWithoutExpert => Blocks.Sum(b => (long)b.TokensWithoutExpert);

    /// <summary>MaxVio of the processed loads, mean over the MoE blocks.</summary>
    public double MaxVio => Blocks.Count == 0 ? 0 : Blocks.Average(b => b.MaxVio);

    /// <summary>MaxVio of the demand, mean over the MoE blocks.</summary>
    public double DemandMaxVio => Blocks.Count == 0 ? 0 : Blocks.Average(b => b.DemandMaxVio);

    /// <summary>True when every block kept every expert within its capacity.</summary>
    public bool WithinCapacity => Blocks.All(b => b.Loads.Max() <= b.Capacity);
}
