using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Soak;

/// <summary>
/// Counts the steps of the trainings and, every <paramref name="collectEvery"/> steps (0: never), forces a full
/// collection and runs the pending finalizers between two steps: a native object whose managed owner became
/// unreachable (a plan, a buffer, optimizer state) is then freed at once instead of whenever the collector runs.
/// </summary>
internal sealed class SoakObserver(int collectEvery) : ITrainingObserver
{
    /// <summary>Training steps completed so far, over all trainings.</summary>
    public long Steps { get; private set; }

    public void RunStarted(string gate, int totalSteps)
    {
    }

    public void StepCompleted(string gate, StepRecord step, int totalSteps)
    {
        Steps++;
        if (collectEvery > 0 && Steps % collectEvery == 0)
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
