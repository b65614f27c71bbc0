using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Reporting;
using Spectre.Console;
using TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// The command's action: checks the output directory, loads the data, trains each gate for each seed with progress,
/// prints and writes the results. Anything it cannot do is one line on the error writer and a non-zero exit code,
/// found before training where it can be.
/// </summary>
public static class ExperimentApp
{
    /// <summary>Exit code when the data cannot be loaded (missing or corrupt files).</summary>
    public const int DataError = 2;

    /// <summary>Exit code when the output directory or a file in it cannot be written.</summary>
    public const int OutputError = 3;

    /// <summary>Exit code when training fails (it diverged, or the data is too small for one batch).</summary>
    public const int TrainingError = 4;

    /// <summary>Exit code when the run is cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Runs with the process console (errors on stderr).</summary>
    public static Task<int> RunAsync(ExperimentSettings settings, CancellationToken token) =>
        Task.FromResult(Run(settings, AnsiConsole.Console, Console.Error, token));

    /// <summary>Runs the experiment, writing to <paramref name="console"/> and errors to <paramref name="error"/>; returns the exit code.</summary>
    public static int Run(ExperimentSettings settings, IAnsiConsole console, TextWriter error, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (Console.IsOutputRedirected && console.Profile.Width < 240)
        {
            // A log file has no width; keep the tables' rows on one line each, also with mean ± std cells.
            console.Profile.Width = 240;
        }

        if (OutputProbe.Check(settings.OutputDirectory) is { } outputProblem)
        {
            return Fail(error, outputProblem, OutputError);
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
            return Fail(error, ex.Message, DataError);
        }

        torch.set_num_threads(settings.Threads);
        if (data.Notice is not null)
        {
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(data.Notice)}");
        }

        console.WriteLine($"Dataset: {data.Name} — {data.Description}");
        if (settings.TrainPerEpoch is int perEpoch && perEpoch < data.Train.Count)
        {
            console.MarkupLine(
                $"[yellow]note:[/] each epoch trains on {perEpoch:N0} of the {data.Train.Count:N0} training images, a fresh random subset per " +
                $"epoch (--train-per-epoch {data.Train.Count} trains on all).");
        }

        console.WriteLine($"Model: {SummaryWriter.ModelLine(settings)}");
        console.WriteLine($"Training: {SummaryWriter.TrainingLine(settings)}");
        console.WriteLine(
            $"Gates: {string.Join(", ", settings.Gates)}; seeds {string.Join(", ", settings.Seeds)}; capacity factor {settings.CapacityFactor}, " +
            $"phase policy {settings.Policy}");

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
        catch (InvalidOperationException ex)
        {
            return Fail(error, ex.Message, TrainingError);
        }

        summary = summary with { TotalSeconds = clock.Elapsed.TotalSeconds };
        ConsoleReport.WriteResults(console, summary);

        // Plots first: a plot that fails marks the summary as failed rather than leaving one that looks successful.
        var files = new List<string>();
        try
        {
            files.AddRange(PlotWriter.Write([.. summary.Runs.Where(r => r.Seed == summary.PlanSeed)], settings.OutputDirectory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            summary = summary with { PlotError = ex.Message };
        }

        try
        {
            files.AddRange(SummaryWriter.Write(summary, settings.OutputDirectory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(error, $"cannot write the summary into '{settings.OutputDirectory}': {ex.Message}", OutputError);
        }

        console.WriteLine($"Wrote {string.Join(", ", files)}");
        console.WriteLine($"Total time {summary.TotalSeconds:F1} s");
        return summary.PlotError is { } plotError
            ? Fail(error, $"cannot write the plots into '{settings.OutputDirectory}': {plotError}", OutputError)
            : 0;
    }

    private static int Fail(TextWriter error, string message, int code)
    {
        error.WriteLine($"error: {message}");
        error.Flush();
        return code;
    }
}
