namespace PhaseRouter.ML.Tests;

/// <summary>A synthetic ticket: two features and the team that should handle it.</summary>
public sealed class TicketRow
{
    public string Team { get; set; } = "";

    public float Urgency { get; set; }

    public float Topic { get; set; }
}
