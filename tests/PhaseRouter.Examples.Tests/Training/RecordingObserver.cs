using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.Tests.Training;

/// <summary>Remembers the last step of each run and which runs completed.</summary>
internal sealed class RecordingObserver : ITrainingObserver
{
    public Dictionary<string, int> Steps { get; } = [];

    public List<string> Completed { get; } = [];

    public void RunStarted(string gate, int totalSteps) => Steps[gate] = 0;

    public void StepCompleted(string gate, StepRecord step, int totalSteps) => Steps[gate] = step.Step;

    public void Evaluating(string gate)
    {
    }

    public void RunCompleted(RunResult result) => Completed.Add(result.Gate);
}
