using Microsoft.ML.Data;

namespace PhaseRouter.ML.Tests;

/// <summary>An input row: an id and one score per class (C = 4).</summary>
public sealed class ScoreRow
{
    public const int Classes = 4;

    public int Id { get; set; }

    [VectorType(Classes)]
    public float[] Score { get; set; } = [];
}
