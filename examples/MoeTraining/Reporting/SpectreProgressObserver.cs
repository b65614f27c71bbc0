using PhaseRouter.Examples.MoeTraining.Training;
using Spectre.Console;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>A Spectre.Console progress bar per run showing step, loss, accuracy and step time.</summary>
public sealed class SpectreProgressObserver : ITrainingObserver
{
    private readonly ProgressContext _context;
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastText = new(StringComparer.Ordinal);

    /// <summary>Creates the observer inside a running <see cref="Progress"/>.</summary>
    public SpectreProgressObserver(ProgressContext context)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
    }

    /// <inheritdoc />
    public void RunStarted(string gate, int totalSteps)
    {
        _tasks[gate] = _context.AddTask(Label(gate, "starting"), maxValue: Math.Max(1, totalSteps));
    }

    /// <inheritdoc />
    public void StepCompleted(string gate, StepRecord step, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(step);
        var task = _tasks[gate];
        task.Value = step.Step;
        _lastText[gate] = StepFormatter.Format(step, totalSteps);
        task.Description = Label(gate, _lastText[gate]);
    }

    /// <inheritdoc />
    public void Evaluating(string gate)
    {
        _tasks[gate].Description = Label(gate, _lastText.GetValueOrDefault(gate, string.Empty) + " · testing");
    }

    /// <inheritdoc />
    public void RunCompleted(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var task = _tasks[result.Label];
        task.Value = task.MaxValue;
        task.Description = Label(
            result.Label,
            FormattableString.Invariant($"done: test acc {result.TestAccuracy:P2}, loss {result.FinalLoss:F3}, {result.Seconds:F1} s"));
        task.StopTask();
    }

    private static string Label(string run, string text) => $"[bold]{Markup.Escape(run),-14}[/] {Markup.Escape(text)}";
}
