using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Reporting;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Trains every requested gate with every seed on the same data and builds the summary (no console, no files).</summary>
public static class ExperimentRunner
{
    /// <summary>
    /// Runs every gate of <paramref name="settings"/> for each of its seeds (seed after seed, gates in order; for one seed
    /// every gate starts from the same weights and sees the same data order), aggregates each gate over the seeds and
    /// plans capacity from the first seed's loads.
    /// </summary>
    public static ExperimentSummary Run(
        ExperimentSettings settings,
        LoadedData data,
        ITrainingObserver observer,
        CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(data);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var gates = settings.Gates.Select(GateCatalog.Get).ToArray();
        var runs = new List<RunResult>();
        foreach (int seed in settings.Seeds)
        {
            var seeded = settings with { Seed = seed };
            runs.AddRange(gates.Select(g => GateTrainer.Run(g, seeded, data, observer, token: token)));
        }

        int planSeed = settings.Seeds[0];
        var plan = CapacityPlanBuilder.Build([.. runs.Where(r => r.Seed == planSeed)], settings.Experts, settings.K, settings.CapacityFactor);
        return new ExperimentSummary
        {
            Dataset = data.Name,
            DatasetDescription = data.Description,
            Settings = settings,
            Runs = runs,
            Gates = GateAggregate.Of(runs),
            CapacityPlan = plan,
            PlanSeed = planSeed,
            TotalSeconds = clock.Elapsed.TotalSeconds,
        };
    }
}
