namespace PhaseRouter.Statistics;

/// <summary>A problem with routing inputs or with a statistic that is legal but probably not what the caller wants.</summary>
/// <param name="Code">What the warning is about.</param>
/// <param name="Message">A sentence for people, with the numbers involved.</param>
public sealed record RoutingWarning(RoutingWarningCode Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
