using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Reporting;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Trains every requested gate on the same data and builds the summary (no console, no files).</summary>
public static class ExperimentRunner
{
    /// <summary>Runs the gates of <paramref name="settings"/> in order and plans capacity from their loads.</summary>
    public static ExperimentSummary Run(
        ExperimentSettings settings,
        LoadedData data,
        ITrainingObserver observer,
        CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var runs = settings.Gates.Select(g => GateTrainer.Run(g, settings, data, observer, token: token)).ToArray();
        var plan = CapacityPlanBuilder.Build(runs, settings.Experts, settings.K, settings.CapacityFactor);
        return new ExperimentSummary
        {
            Dataset = data.Name,
            DatasetDescription = data.Description,
            Settings = settings,
            Runs = runs,
            CapacityPlan = plan,
            TotalSeconds = clock.Elapsed.TotalSeconds,
        };
    }
}
