using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.Tests.Training;

public sealed class CapacityPlanBuilderTests
{
    // 4 experts, 16 tokens, k = 1: 16 slots per step, capacity 4 at factor 1.
    private static BlockRouting Block(int block, int[] loads, int[] demand) =>
        new(block, loads, demand, 4, 16, 16, 16 - loads.Sum(), 0, 16 - loads.Sum(), 0.1);

    private static StepRecord Step(int step, int[] loads, int[] demand) =>
        new(step, 1, 1.0, 0.5, 1.0, [Block(1, loads, demand)]);

    private static RunResult Run(string gate, StepRecord[] steps) => new()
    {
        Gate = gate,
        TestLoadPerExpert = [4, 4, 4, 4],
        LossCurve = steps.Select(s => s.Loss).ToArray(),
        StepRecords = steps,
        TrainDroppedSlotRate = steps.Sum(s => s.DroppedSlots) / (double)steps.Sum(s => s.Slots),
    };

    [Fact]
    public void SoftmaxRequirements_ComeFromItsUncappedDemand()
    {
        // Whole run: demand peaks at 10 (first step); second half peaks at 6.
        var softmax = Run("softmax",
        [
            Step(1, [4, 4, 2, 0], [10, 4, 2, 0]),
            Step(2, [4, 4, 4, 4], [4, 4, 4, 4]),
            Step(3, [4, 4, 4, 2], [6, 4, 4, 2]),
            Step(4, [4, 4, 4, 3], [5, 4, 4, 3]),
        ]);
        var phase = Run("phase", Enumerable.Range(1, 4).Select(i => Step(i, [4, 4, 4, 4], [7, 3, 3, 3])).ToArray());

        var plan = CapacityPlanBuilder.Build([phase, softmax], experts: 4, k: 1, capacityFactor: 1.0);

        Assert.Equal(16, plan.SlotsPerStep);
        Assert.Equal(2, plan.SoftmaxRequirements.Count);
        Assert.Equal(10, plan.SoftmaxRequirements[0].Capacity);
        Assert.Equal(2.5, plan.SoftmaxRequirements[0].CapacityFactor, 9);
        Assert.Equal(0, plan.SoftmaxRequirements[0].DropRate);
        Assert.Equal(6, plan.SoftmaxSteadyStateRequirements[0].Capacity);
        Assert.True(plan.SoftmaxRequirements[1].Capacity <= plan.SoftmaxRequirements[0].Capacity);

        var phaseProfile = plan.Gates.Single(g => g.Gate == "phase");
        Assert.Equal(4, phaseProfile.Capacity);
        Assert.All(phaseProfile.Loads, l => Assert.Equal(4, l.P99));
        Assert.Equal(7, phaseProfile.Demand[0].P50);
        Assert.Equal(7, phaseProfile.DemandRequirements[0].Capacity);

        var headroom = plan.PhaseHeadroom;
        Assert.NotNull(headroom);
        Assert.Equal(4, headroom.Capacity);
        Assert.Equal(0, headroom.HeadroomSlots);
        Assert.Equal(1.0, headroom.Utilisation, 9);
        Assert.Equal(1.5, headroom.CapacityFactorSaved!.Value, 9);
    }

    [Fact]
    public void PhaseHeadroom_IsCapacityMinusTheBusiestP99()
    {
        var phase = Run("phase", Enumerable.Range(1, 10).Select(i => Step(i, [3, 3, 3, 2], [2, 2, 3, 9])).ToArray());

        var plan = CapacityPlanBuilder.Build([phase], 4, 1, 1.0);

        // Only a softmax run sizes softmax capacity; the phase gate's own demand is profiled, not turned into one.
        Assert.Empty(plan.SoftmaxRequirements);
        Assert.Empty(plan.SoftmaxSteadyStateRequirements);
        Assert.Equal([2.0, 2.0, 3.0, 9.0], plan.Gates[0].Demand.Select(d => d.P99));
        Assert.Equal(9, plan.Gates[0].DemandRequirements[0].Capacity);
        Assert.Equal(1, plan.PhaseHeadroom!.HeadroomSlots);
        Assert.Equal(0.25, plan.PhaseHeadroom.HeadroomFraction, 9);
        Assert.Equal(3, plan.PhaseHeadroom.MaxLoad);
        Assert.Null(plan.PhaseHeadroom.CapacityFactorSaved);
        Assert.Equal(11.0 / 16, plan.PhaseHeadroom.Utilisation, 9);
    }

    [Fact]
    public void SeveralMoeBlocks_ArePooledAsSamples()
    {
        // Two blocks per step: block 1 peaks at demand 10 on expert 0, block 3 at 7 on expert 3; the requirement for no
        // drop covers every block, and the per-expert p99 sees both.
        var steps = Enumerable.Range(1, 4).Select(i => new StepRecord(i, 1, 1.0, 0.5, 1.0,
        [
            Block(1, [4, 4, 2, 0], [10, 4, 2, 0]),
            Block(3, [2, 3, 4, 4], [1, 3, 5, 7]),
        ])).ToArray();
        var softmax = Run("softmax", steps);

        var plan = CapacityPlanBuilder.Build([softmax], experts: 4, k: 1, capacityFactor: 1.0);

        Assert.Equal(16, plan.SlotsPerStep);
        Assert.Equal(10, plan.SoftmaxRequirements[0].Capacity);
        Assert.Equal(10, plan.Gates[0].Demand[0].Max);
        Assert.Equal(7, plan.Gates[0].Demand[3].Max);
        Assert.Equal(4, plan.Gates[0].Loads[3].Max);
    }
}
