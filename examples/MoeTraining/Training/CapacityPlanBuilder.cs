namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Turns the per-step loads of the runs into a <see cref="CapacityPlan"/>.</summary>
public static class CapacityPlanBuilder
{
    /// <summary>The drop rates the plan sizes softmax capacity for: 0% and 1%.</summary>
    public static IReadOnlyList<double> TargetDropRates { get; } = [0.0, 0.01];

    /// <summary>Builds the plan.</summary>
    public static CapacityPlan Build(IReadOnlyList<RunResult> runs, int experts, double capacityFactor, ICapacityPlanner planner)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(planner);
        int slots = runs.SelectMany(r => r.StepRecords).Select(s => s.Slots).FirstOrDefault();
        var profiles = runs
            .Where(r => r.StepRecords.Count > 0)
            .Select(r => new GateLoadProfile(
                r.Gate,
                r.StepRecords[0].Capacity,
                planner.PerExpert(r.StepRecords.Select(s => s.Loads).ToArray()),
                planner.PerExpert(DemandOf(r))))
            .ToArray();

        var softmax = runs.FirstOrDefault(r => r.Gate == "softmax" && r.StepRecords.Count > 0);
        var requirements = softmax is null || DemandOf(softmax).Length == 0
            ? []
            : TargetDropRates
                .Select(t => planner.RequiredCapacity(DemandOf(softmax), slots, t))
                .ToArray();

        var steady = softmax is null || DemandOf(softmax).Length == 0
            ? []
            : TargetDropRates
                .Select(t => planner.RequiredCapacity(SecondHalf(DemandOf(softmax)), slots, t))
                .ToArray();

        PhaseHeadroom? headroom = null;
        var phase = runs.FirstOrDefault(r => r.Gate == "phase" && r.StepRecords.Count > 0);
        if (phase is not null)
        {
            var profile = profiles.First(p => p.Gate == "phase");
            int capacity = profile.Capacity;
            double p99 = profile.Loads.Max(l => l.P99);
            int max = profile.Loads.Max(l => l.Max);
            double mean = profile.Loads.Average(l => l.Mean);
            double? saved = requirements.Length > 0 ? requirements[0].CapacityFactor - capacityFactor : null;
            headroom = new PhaseHeadroom(
                capacity,
                p99,
                max,
                capacity - p99,
                capacity > 0 ? (capacity - p99) / capacity : 0,
                capacity > 0 ? mean / capacity : 0,
                phase.TrainDroppedSlotRate,
                saved);
        }

        return new CapacityPlan
        {
            Source = planner.Source,
            Experts = experts,
            SlotsPerStep = slots,
            CapacityFactor = capacityFactor,
            Gates = profiles,
            SoftmaxRequirements = requirements,
            SoftmaxSteadyStateRequirements = steady,
            PhaseHeadroom = headroom,
        };
    }

    private static int[][] SecondHalf(int[][] steps) => steps.Skip(steps.Length / 2).ToArray();

    private static int[][] DemandOf(RunResult run) =>
        run.StepRecords.Where(s => s.Demand is not null).Select(s => s.Demand!).ToArray();
}
