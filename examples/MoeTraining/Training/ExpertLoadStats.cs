namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The load of one expert over the training steps.</summary>
/// <param name="Expert">Expert index.</param>
/// <param name="Mean">Mean tokens per step.</param>
/// <param name="P50">Median tokens per step.</param>
/// <param name="P99">99th percentile of tokens per step.</param>
/// <param name="Max">Most tokens in any step.</param>
public sealed record ExpertLoadStats(int Expert, double Mean, double P50, double P99, int Max);
