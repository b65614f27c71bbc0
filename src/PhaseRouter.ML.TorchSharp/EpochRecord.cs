namespace PhaseRouter.ML.TorchSharp;

/// <summary>One epoch of <see cref="MixtureOfExpertsMulticlassTrainer"/>'s training.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean cross-entropy of the epoch's training batches (without the auxiliary loss).</param>
/// <param name="ValidationLoss">Cross-entropy on the held-out rows after the epoch, or <see langword="null"/> without a validation split.</param>
/// <param name="ValidationAccuracy">Accuracy on the held-out rows after the epoch, or <see langword="null"/>.</param>
/// <param name="Slots">Routed slots of the epoch's training batches (rows · k · layers).</param>
/// <param name="DroppedSlots">Slots the gate left empty for lack of capacity.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy, long Slots, long DroppedSlots,
    double Seconds)
{
    /// <summary>Share of the training slots dropped.</summary>
    public double DroppedSlotRate => Slots == 0 ? 0 : (double)DroppedSlots / Slots;
}
