namespace PhaseRouter.ML.Tests;

/// <summary>A ticket after the model and the capacity-bounded assignment.</summary>
public sealed class RoutedTicket
{
    public string Team { get; set; } = "";

    public float[] Score { get; set; } = [];

    public int[] Assignment { get; set; } = [];
}
