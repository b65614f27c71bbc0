namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>What one training step measured.</summary>
/// <param name="Step">1-based step number over the whole run.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Cross-entropy of the batch (without the auxiliary loss).</param>
/// <param name="Accuracy">Training accuracy of the batch.</param>
/// <param name="StepMilliseconds">Wall time of the step (forward, backward, optimiser).</param>
/// <param name="RouterMilliseconds">Time the gate spent routing the batch.</param>
/// <param name="Loads">Tokens each expert received (after capacity).</param>
/// <param name="Demand">
/// Tokens that chose each expert before capacity, the uncapped demand of the gate's plan (<see cref="PhaseRouter.TorchSharp.RoutingPlan.ExpertDemand"/>):
/// top-k by logit for the phase and softmax gates, the hash choices for the hash gate; sums to <paramref name="Slots"/>.
/// </param>
/// <param name="Capacity">Capacity per expert.</param>
/// <param name="DroppedSlots">Slots that got no expert.</param>
/// <param name="Slots">Slots routed: tokens · k.</param>
public sealed record StepRecord(
    int Step,
    int Epoch,
    double Loss,
    double Accuracy,
    double StepMilliseconds,
    double RouterMilliseconds,
    int[] Loads,
    int[] Demand,
    int Capacity,
    long DroppedSlots,
    int Slots);
