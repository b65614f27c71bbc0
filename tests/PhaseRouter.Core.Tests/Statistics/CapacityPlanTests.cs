using FsCheck.Xunit;
using MathNet.Numerics.Distributions;
using PhaseRouter.Gating;
using PhaseRouter.Statistics;

namespace PhaseRouter.Core.Tests.Statistics;

public class CapacityPlanTests
{
    // Four steps of 8 tokens with k = 2 over 4 experts: 16 slots a step, 4 per expert when balanced.
    private static readonly long[][] Steps = [[8, 4, 2, 2], [4, 4, 4, 4], [6, 6, 2, 2], [5, 3, 4, 4]];

    [Fact]
    public void Plan_FollowsItsDefinitions()
    {
        CapacityPlan plan = RoutingStatistics.EstimateCapacity(Steps, 8, 2, [0.0, 0.01, 0.1], 1.25);
        Assert.Equal((4, 4, 8, 2, 16L, 4.0), (plan.Steps, plan.Experts, plan.Tokens, plan.K, plan.SlotsPerStep, plan.BalancedLoad));
        Assert.Equal([5.75, 4.25, 3.0, 3.0], plan.MeanLoad);
        Assert.Equal([5.0, 4.0, 2.0, 2.0], plan.P50Load); // R1: the 2nd smallest of 4
        Assert.Equal([8.0, 6.0, 4.0, 4.0], plan.P99Load);
        Assert.Equal([8L, 6, 4, 4], plan.MaxLoad);
        Assert.Equal(5.75 / 4, plan.MeanImbalance, 12);

        // Dropped slots at capacity c: Σ max(0, load − c) over 64 slots. c = 8 drops none; c = 7 drops 1 (> 0.64);
        // c = 5 drops 3 + 1 + 1 = 5 ≤ 6.4 while c = 4 drops 9.
        Assert.Equal(new CapacityRequirement(0.0, 8, 2.0, 0.0), plan.Requirements[0]);
        Assert.Equal(new CapacityRequirement(0.01, 8, 2.0, 0.0), plan.Requirements[1]);
        Assert.Equal(new CapacityRequirement(0.1, 5, 1.25, 5.0 / 64), plan.Requirements[2]);

        CapacityCheck check = plan.Check!;
        Assert.Equal(5, check.Capacity); // ⌈1.25·8·2/4⌉
        Assert.Equal(5.0 / 64, check.DropRate);
        Assert.Equal(0.5, check.StepsWithDrops); // steps 0 and 2 overflow
        Assert.Equal([-3.0, -1.0, 1.0, 1.0], check.Headroom);
        Assert.Equal([5.75 / 5, 4.25 / 5, 0.6, 0.6], check.Utilisation);

        // The reference p99 of an ideally balanced random gate: Binomial(8, 2/4).
        int q = plan.BalancedRandomP99Load;
        Assert.True(Binomial.CDF(0.5, 8, q) >= 0.99 && Binomial.CDF(0.5, 8, q - 1) < 0.99);
    }

    [Fact]
    public void IntLoads_GiveTheSamePlan()
    {
        int[][] narrow = Steps.Select(row => row.Select(x => (int)x).ToArray()).ToArray();
        CapacityPlan wide = RoutingStatistics.EstimateCapacity(Steps, 8, 2);
        CapacityPlan fromInt = RoutingStatistics.EstimateCapacity(narrow, 8, 2);
        Assert.Equal(wide.Requirements, fromInt.Requirements);
        Assert.Equal(wide.P99Load, fromInt.P99Load);
        Assert.Equal([0.0, 0.01], wide.Requirements.Select(r => r.TargetDropRate));
        Assert.Null(wide.Check);
    }

    [Property(MaxTest = 100)]
    public bool Requirements_AreTight_AndTheirFactorsGiveTheirCapacities(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 17);
        int k = rng.Next(1, experts + 1);
        int tokens = rng.Next(1, 300);
        long slots = (long)tokens * k;
        long[][] steps = Enumerable.Range(0, rng.Next(1, 20)).Select(_ =>
        {
            // Deal each step's slots to experts with a random skew.
            var row = new long[experts];
            for (long s = 0; s < slots; s++)
            {
                row[Math.Min(experts - 1, (int)(experts * Math.Pow(rng.NextDouble(), 1.5)))]++;
            }

            return row;
        }).ToArray();
        double[] rates = [0.0, 0.001, 0.01, 0.1, 0.5];
        CapacityPlan plan = RoutingStatistics.EstimateCapacity(steps, tokens, k, rates);
        double total = (double)steps.Length * slots;
        long Dropped(long c) => steps.Sum(row => row.Sum(x => Math.Max(0, x - c)));
        for (int r = 0; r < rates.Length; r++)
        {
            CapacityRequirement req = plan.Requirements[r];
            bool tight = Dropped(req.Capacity) <= rates[r] * total
                && (req.Capacity == 0 || Dropped(req.Capacity - 1) > rates[r] * total);
            bool factor = req.Capacity == 0 ? req.CapacityFactor == 0 : ExpertCapacity.Of(req.CapacityFactor, tokens, k, experts) == req.Capacity;
            bool ordered = r == 0 || req.Capacity <= plan.Requirements[r - 1].Capacity;
            if (!tight || !factor || !ordered || req.DropRate > rates[r])
            {
                return false;
            }
        }

        return plan.Requirements[0].Capacity == steps.Max(row => row.Max());
    }

    [Fact]
    public void Plan_RejectsBadInputs_NamingThem()
    {
        Assert.Equal("stepLoads", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.EstimateCapacity(Array.Empty<long[]>(), 8, 2)).ParamName);
        Assert.Equal("stepLoads", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.EstimateCapacity(new long[][] { [9, 4, 2, 2] }, 8, 2)).ParamName); // 17 > 16 slots
        Assert.Equal("stepLoads", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.EstimateCapacity(new long[][] { [-1, 4, 2, 2] }, 8, 2)).ParamName);
        Assert.Equal("stepLoads", Assert.Throws<ArgumentException>(() =>
            RoutingStatistics.EstimateCapacity(new long[][] { [1, 1], [1] }, 8, 2)).ParamName);
        Assert.Equal("tokens", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.EstimateCapacity(Steps, 0, 2)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.EstimateCapacity(Steps, 8, 5)).ParamName);
        Assert.Equal("dropRates", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.EstimateCapacity(Steps, 8, 2, [1.0])).ParamName);
        Assert.Equal("capacityFactor", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.EstimateCapacity(Steps, 8, 2, null, 0.0)).ParamName);
    }
}
