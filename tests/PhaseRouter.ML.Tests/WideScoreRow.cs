using Microsoft.ML.Data;

namespace PhaseRouter.ML.Tests;

/// <summary>A row with five classes, to feed a transformer fitted on four.</summary>
public sealed class WideScoreRow
{
    [VectorType(5)]
    public float[] Score { get; set; } = [];
}
