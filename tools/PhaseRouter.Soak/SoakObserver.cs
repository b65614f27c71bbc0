using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Soak;

/// <summary>
/// Counts the steps of the trainings and, when asked, forces a full collection and runs the pending finalizers after
/// every step: a native object whose managed owner is unreachable is then freed at once instead of whenever the
/// collector happens to run.
/// </summary>
internal sealed class SoakObserver(bool collectEveryStep) : ITrainingObserver
{
    /// <summary>Training steps completed so far, over all trainings.</summary>
    public long Steps { get; private set; }

    public void RunStarted(string gate, int totalSteps)
    {
    }

    public void StepCompleted(string gate, StepRecord step, int totalSteps)
    {
        Steps++;
        if (collectEveryStep)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    public void Evaluating(string gate)
    {
    }

    public void RunCompleted(RunResult result)
    {
    }
}
