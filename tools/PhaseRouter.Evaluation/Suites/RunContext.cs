using PhaseRouter.Evaluation.Reporting;
using Spectre.Console;

namespace PhaseRouter.Evaluation.Suites;

/// <summary>What every part of the suite shares: the output folder, quick mode, the base seed, the console and the machine.</summary>
public sealed class RunContext
{
    /// <summary>Creates a context; the output folder is created on first use.</summary>
    /// <param name="outputDirectory">The folder every part writes under.</param>
    /// <param name="quick">Whether every part runs at its small sizes.</param>
    /// <param name="seed">The base seed of inputs and routing.</param>
    /// <param name="console">Where progress and summaries go.</param>
    public RunContext(string outputDirectory, bool quick, int seed, IAnsiConsole console)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        OutputDirectory = Path.GetFullPath(outputDirectory);
        Quick = quick;
        Seed = seed;
        Console = console ?? throw new ArgumentNullException(nameof(console));
        Machine = MachineInfo.Current();
    }

    /// <summary>The folder every part writes under (absolute).</summary>
    public string OutputDirectory { get; }

    /// <summary>Whether every part runs at its small sizes.</summary>
    public bool Quick { get; }

    /// <summary>The base seed.</summary>
    public int Seed { get; }

    /// <summary>Where progress and summaries go.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>The machine the run is on.</summary>
    public MachineInfo Machine { get; }

    /// <summary>A folder under the output folder, created if needed.</summary>
    /// <param name="parts">Path parts below <see cref="OutputDirectory"/>.</param>
    public string Folder(params string[] parts)
    {
        string path = Path.Combine([OutputDirectory, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs <paramref name="work"/> under a Spectre.Console progress bar of <paramref name="steps"/> steps.</summary>
    /// <param name="title">What is running.</param>
    /// <param name="steps">The number of steps the work reports.</param>
    /// <param name="work">The work; it calls the given action once per finished step with a short description.</param>
    public void WithProgress(string title, int steps, Action<Action<string>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                ProgressTask task = progress.AddTask(Markup.Escape(title), maxValue: Math.Max(1, steps));
                work(step =>
                {
                    task.Increment(1);
                    task.Description = Markup.Escape($"{title}: {step}");
                });
                task.Value = task.MaxValue;
                task.Description = Markup.Escape($"{title}: done");
            });
    }

    /// <summary>Writes one plain line to the console.</summary>
    /// <param name="line">The text.</param>
    public void Say(string line) => Console.MarkupLine(Markup.Escape(line));
}
