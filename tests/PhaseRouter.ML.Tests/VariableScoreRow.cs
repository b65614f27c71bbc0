namespace PhaseRouter.ML.Tests;

/// <summary>A row whose Score is a variable-size vector (no VectorType attribute): the wrong type for the estimator.</summary>
public sealed class VariableScoreRow
{
    public float[] Score { get; set; } = [];
}
