using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Reporting;
using Spectre.Console;
using TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The command's action: loads the data, trains each gate with progress, prints and writes the results.</summary>
public static class ExperimentApp
{
    /// <summary>Exit code when the data cannot be loaded.</summary>
    public const int DataError = 2;

    /// <summary>Exit code when the run is cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Runs with the process console.</summary>
    public static Task<int> RunAsync(ExperimentSettings settings, CancellationToken token) =>
        Task.FromResult(Run(settings, AnsiConsole.Console, token));

    /// <summary>Runs the experiment, writing to <paramref name="console"/>; returns the exit code.</summary>
    public static int Run(ExperimentSettings settings, IAnsiConsole console, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        torch.set_num_threads(settings.Threads);
        if (Console.IsOutputRedirected && console.Profile.Width < 140)
        {
            // A log file has no width; keep the tables on one line each.
            console.Profile.Width = 140;
        }

        LoadedData data;
        try
        {
            data = DatasetResolver.Load(
                settings.Dataset,
                settings.DataDirectory,
                settings.TrainSamples,
                settings.TestSamples,
                new SyntheticMixtureOptions(Seed: settings.Seed));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return DataError;
        }

        if (data.Notice is not null)
        {
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(data.Notice)}");
        }

        console.WriteLine($"Dataset: {data.Name} — {data.Description}");
        console.WriteLine(
            $"Gates: {string.Join(", ", settings.Gates.Select(GateTrainer.GateName))}; E={settings.Experts}, k={settings.K}, " +
            $"capacity factor {settings.CapacityFactor}, policy {settings.Policy}, {settings.Epochs} epoch(s), " +
            $"batch {settings.BatchSize} ({settings.BatchSize * 16} tokens), seed {settings.Seed}, {settings.Threads} thread(s)");

        ExperimentSummary summary;
        try
        {
            summary = ConsoleReport.WithProgress(
                console,
                observer => ExperimentRunner.Run(settings, data, observer, token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]cancelled[/]");
            return Cancelled;
        }

        summary = summary with { TotalSeconds = clock.Elapsed.TotalSeconds };

        ConsoleReport.WriteResults(console, summary.Runs, summary.CapacityPlan);
        var files = SummaryWriter.Write(summary, settings.OutputDirectory)
            .Concat(PlotWriter.Write(summary.Runs, settings.OutputDirectory));
        console.WriteLine($"Wrote {string.Join(", ", files)}");
        console.WriteLine($"Total time {summary.TotalSeconds:F1} s");
        return 0;
    }
}
