using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>Receives progress of the training runs (console progress bars, log lines, tests).</summary>
public interface ITrainingObserver
{
    /// <summary>A run starts; it will take <paramref name="totalSteps"/> steps. <paramref name="gate"/> is the run's label: the gate, with the seed when several seeds run.</summary>
    void RunStarted(string gate, int totalSteps);

    /// <summary>A training step finished.</summary>
    void StepCompleted(string gate, StepRecord step, int totalSteps);

    /// <summary>Training finished; the test pass runs.</summary>
    void Evaluating(string gate);

    /// <summary>The run finished; its <see cref="RunResult.Label"/> is the label the other calls named it by.</summary>
    void RunCompleted(RunResult result);
}
