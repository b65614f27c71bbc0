namespace PhaseRouter.Soak;

/// <summary>A training that threw.</summary>
/// <param name="Training">Its index in the soak (0-based).</param>
/// <param name="Case">The case's name.</param>
/// <param name="StepsBefore">Steps of that training completed before the failure.</param>
/// <param name="Error">The exception.</param>
internal sealed record SoakFailure(int Training, string Case, long StepsBefore, Exception Error)
{
    /// <summary>One line: training, case, step, exception type and the first line of its message.</summary>
    public override string ToString()
    {
        string message = Error.Message.Split('\n', 2)[0].Trim();
        return $"training {Training} ({Case}) after {StepsBefore} step(s): {Error.GetType().Name}: {message}";
    }
}
