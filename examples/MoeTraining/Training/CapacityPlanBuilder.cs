using PhaseRouter.Statistics;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// Turns the per-step loads of the runs into a <see cref="TrainingCapacityPlan"/> with PhaseRouter.Core's planner,
/// <see cref="RoutingStatistics.EstimateCapacity(IReadOnlyList{int[]}, int, int, IReadOnlyList{double}?, double?)"/>:
/// per-expert p50/p99 of each gate's loads and demand, the capacity factor softmax routing needs for each target drop
/// rate (from its uncapped demand), and the headroom the phase gate leaves at the trained capacity factor.
/// </summary>
public static class CapacityPlanBuilder
{
    /// <summary>The drop rates the plan sizes softmax capacity for: 0% and 1%.</summary>
    public static IReadOnlyList<double> TargetDropRates { get; } = [0.0, 0.01];

    /// <summary>Names the planner in the report.</summary>
    public const string Source = "PhaseRouter.Statistics.RoutingStatistics.EstimateCapacity over the per-step loads of training";

    /// <summary>
    /// Builds the plan from the runs' step records. With several MoE blocks each block's loads at each step are one
    /// sample (the blocks route the same number of tokens under the same capacity), so the per-expert figures are pooled
    /// over the blocks and a capacity requirement holds for every block.
    /// </summary>
    public static TrainingCapacityPlan Build(IReadOnlyList<RunResult> runs, int experts, int k, double capacityFactor)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var recorded = runs.Where(r => r.StepRecords.Count > 0 && r.StepRecords[0].Blocks.Count > 0).ToArray();
        var first = recorded.Select(r => r.StepRecords[0].Blocks[0]).FirstOrDefault();
        long slots = first?.Slots ?? 0;
        int tokens = first?.Tokens ?? 0;

        var profiles = new List<GateLoadProfile>();
        PhaseHeadroom? headroom = null;
        IReadOnlyList<CapacityRequirement> softmaxAll = [];
        IReadOnlyList<CapacityRequirement> softmaxSteady = [];
        foreach (var run in recorded)
        {
            var loads = run.StepRecords.SelectMany(s => s.Blocks.Select(b => b.Loads)).ToArray();
            var loadPlan = RoutingStatistics.EstimateCapacity(loads, tokens, k, [], capacityFactor);
            var demand = run.StepRecords.SelectMany(s => s.Blocks.Select(b => b.Demand)).ToArray();
            var demandPlan = RoutingStatistics.EstimateCapacity(demand, tokens, k, TargetDropRates);
            profiles.Add(new GateLoadProfile(
                run.Gate,
                run.StepRecords[0].Blocks[0].Capacity,
                PerExpert(loadPlan),
                PerExpert(demandPlan),
                demandPlan.Requirements));

            if (run.Gate == "softmax")
            {
                softmaxAll = demandPlan.Requirements;
                var secondHalf = run.StepRecords.Skip(run.StepRecords.Count / 2).SelectMany(s => s.Blocks.Select(b => b.Demand)).ToArray();
                softmaxSteady = RoutingStatistics.EstimateCapacity(secondHalf, tokens, k, TargetDropRates).Requirements;
            }

            if (run.Gate == "phase" && loadPlan.Check is { } check)
            {
                long capacity = check.Capacity;
                double p99 = loadPlan.P99Load.Max();
                headroom = new PhaseHeadroom(
                    (int)capacity,
                    p99,
                    (int)loadPlan.MaxLoad.Max(),
                    check.Headroom.Min(),
                    capacity > 0 ? check.Headroom.Min() / capacity : 0,
                    check.Utilisation.Average(),
                    run.TrainDroppedSlotRate,
                    null);
            }
        }

        if (headroom is not null && softmaxAll.Count > 0)
        {
            headroom = headroom with { CapacityFactorSaved = softmaxAll[0].CapacityFactor - capacityFactor };
        }

        return new TrainingCapacityPlan
        {
            Source = Source,
            Experts = experts,
            SlotsPerStep = slots,
            CapacityFactor = capacityFactor,
            Gates = profiles,
            SoftmaxRequirements = softmaxAll,
            SoftmaxSteadyStateRequirements = softmaxSteady,
            PhaseHeadroom = headroom,
        };
    }

    private static ExpertLoadStats[] PerExpert(CapacityPlan plan) =>
        Enumerable.Range(0, plan.Experts)
            .Select(e => new ExpertLoadStats(e, plan.MeanLoad[e], plan.P50Load[e], plan.P99Load[e], (int)plan.MaxLoad[e]))
            .ToArray();
}
