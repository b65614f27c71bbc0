using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.Tests.Training;

public sealed class QuantileCapacityPlannerTests
{
    private readonly QuantileCapacityPlanner _planner = new();

    [Fact]
    public void PerExpert_GivesMeanMedianP99AndMax()
    {
        // Expert 0 sees 1..100, expert 1 always 5.
        var loads = Enumerable.Range(1, 100).Select(i => new[] { i, 5 }).ToArray();

        var stats = _planner.PerExpert(loads);

        Assert.Equal(2, stats.Count);
        Assert.Equal(50.5, stats[0].Mean, 9);
        Assert.InRange(stats[0].P50, 50, 51);
        Assert.InRange(stats[0].P99, 98, 100);
        Assert.Equal(100, stats[0].Max);
        Assert.Equal(5, stats[1].P50);
        Assert.Equal(5, stats[1].P99);
    }

    [Fact]
    public void RequiredCapacity_ZeroDrop_IsTheLargestDemand()
    {
        var demand = new[] { new[] { 10, 30, 20, 4 }, new[] { 16, 16, 16, 16 } };

        var r = _planner.RequiredCapacity(demand, slotsPerStep: 64, targetDropRate: 0);

        Assert.Equal(30, r.Capacity);
        Assert.Equal(30.0 * 4 / 64, r.CapacityFactor, 12);
        Assert.Equal(0, r.DropRate);
    }

    [Fact]
    public void RequiredCapacity_WithTolerance_IsTheSmallestCapacityWithinIt()
    {
        // 128 demanded slots; capacity 20 drops 10 (7.8%), 25 drops 5 (3.9%), 28 drops 2 (1.6%), 29 drops 1 (0.78%).
        var demand = new[] { new[] { 10, 30, 20, 4 }, new[] { 16, 16, 16, 16 } };

        var r = _planner.RequiredCapacity(demand, 64, 0.01);

        Assert.Equal(29, r.Capacity);
        Assert.Equal(1.0 / 128, r.DropRate, 12);
        Assert.Equal(2.0 / 128, QuantileCapacityPlanner.DropRate(demand, 28, 128), 12);
    }

    [Fact]
    public void EmptyRecords_GiveEmptyPlans()
    {
        Assert.Empty(_planner.PerExpert([]));
        Assert.Equal(0, _planner.RequiredCapacity([], 10, 0).Capacity);
    }
}
