using System.Globalization;
using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>
/// Progress for redirected or non-interactive output (CI logs): a plain line at the first step, at every
/// tenth of the run and at its end, so a log gets about a dozen lines per run and no control codes.
/// </summary>
public sealed class LogProgressObserver : ITrainingObserver
{
    private readonly TextWriter _writer;
    private readonly int _reports;
    private readonly Dictionary<string, int> _lastBucket = new(StringComparer.Ordinal);

    /// <summary>Writes to <paramref name="writer"/>, about <paramref name="reports"/> lines per run.</summary>
    public LogProgressObserver(TextWriter writer, int reports = 10)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reports);
        _reports = reports;
    }

    /// <inheritdoc />
    public void RunStarted(string gate, int totalSteps)
    {
        _lastBucket[gate] = -1;
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{gate}] training: {totalSteps} steps"));
        _writer.Flush();
    }

    /// <inheritdoc />
    public void StepCompleted(string gate, StepRecord step, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(step);
        int bucket = (int)((long)step.Step * _reports / Math.Max(1, totalSteps));
        if (step.Step == 1 || bucket > _lastBucket[gate])
        {
            _lastBucket[gate] = bucket;
            _writer.WriteLine($"[{gate}] {StepFormatter.Format(step, totalSteps)}");
            _writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Evaluating(string gate)
    {
        _writer.WriteLine($"[{gate}] testing");
        _writer.Flush();
    }

    /// <inheritdoc />
    public void RunCompleted(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _writer.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{result.Label}] done: test accuracy {result.TestAccuracy:P2}, final loss {result.FinalLoss:F4}, {result.Seconds:F1} s"));
        _writer.Flush();
    }
}
