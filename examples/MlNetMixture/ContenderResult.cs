namespace PhaseRouter.Examples.MlNetMixture;

/// <summary>One trainer's figures on the test split.</summary>
/// <param name="Name">The trainer, as shown in the table.</param>
/// <param name="MacroAccuracy">Mean per-class accuracy.</param>
/// <param name="MicroAccuracy">Share of test images classified right.</param>
/// <param name="LogLoss">Mean negative log-probability of the true class.</param>
/// <param name="TrainingSeconds">Wall time of <c>Fit</c> (the pipeline's key mapping included).</param>
/// <param name="ScoringSeconds">Wall time of scoring and evaluating the test split.</param>
/// <param name="DroppedSlotRate">Share of training slots the gate dropped for lack of capacity; null for trainers without a gate.</param>
/// <param name="Epochs">Epochs trained (early stopping may end before the maximum); null for the ML.NET trainers.</param>
public sealed record ContenderResult(string Name, double MacroAccuracy, double MicroAccuracy, double LogLoss, double TrainingSeconds,
    double ScoringSeconds, double? DroppedSlotRate, int? Epochs);
