namespace PhaseRouter.ML.Tests;

/// <summary>A transformed row read back with CreateEnumerable.</summary>
public sealed class AssignedRow
{
    public int Id { get; set; }

    public float[] Score { get; set; } = [];

    public int[] Assignment { get; set; } = [];
}
