namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The test pass: accuracy and the routing of its batches (inference seed, fixed).</summary>
/// <param name="Accuracy">Test accuracy.</param>
/// <param name="MeanLoad">Mean tokens per expert per full batch.</param>
/// <param name="MaxLoad">Largest load of any expert in any batch.</param>
/// <param name="Capacity">Capacity per expert of a full batch.</param>
/// <param name="DroppedSlotRate">Dropped slots / routed slots over the whole test set.</param>
/// <param name="MeanLoadPerExpert">Mean load of each expert over the full batches.</param>
public sealed record EvaluationResult(
    double Accuracy,
    double MeanLoad,
    int MaxLoad,
    int Capacity,
    double DroppedSlotRate,
    double[] MeanLoadPerExpert);
