using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>Receives progress of the training runs (console progress bars, log lines, tests).</summary>
public interface ITrainingObserver
{
    /// <summary>A run starts; it will take <paramref name="totalSteps"/> steps.</summary>
    void RunStarted(string gate, int totalSteps);

    /// <summary>A training step finished.</summary>
    void StepCompleted(string gate, StepRecord step, int totalSteps);

    /// <summary>Training finished; the test pass runs.</summary>
    void Evaluating(string gate);

    /// <summary>The run finished.</summary>
    void RunCompleted(RunResult result);
}
