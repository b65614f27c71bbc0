namespace PhaseRouter.ML.Tests;

/// <summary>A row whose Score is a scalar: the wrong type for the estimator.</summary>
public sealed class ScalarScoreRow
{
    public float Score { get; set; }
}
