using System.Globalization;
using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>The one-line text of a training step shared by the progress bar and the log lines.</summary>
public static class StepFormatter
{
    /// <summary>e.g. <c>step 120/938 loss 0.512 acc 81.3% 14.2 ms/step</c>.</summary>
    public static string Format(StepRecord step, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(step);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"step {step.Step}/{totalSteps} loss {step.Loss:F3} acc {step.Accuracy:P1} {step.StepMilliseconds:F1} ms/step");
    }
}
