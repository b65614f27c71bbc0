using FsCheck.Xunit;
using PhaseRouter.Gating;

namespace PhaseRouter.Core.Tests.Gating;

/// <summary>The balanced assignment (BASE): exactly optimal against OR-Tools' min-cost flow, capacity-safe, deterministic.</summary>
public class BalancedAssignmentTests
{
    [Property(MaxTest = 120)]
    public bool Total_EqualsTheMinCostFlowOptimum(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 10);
        int k = rng.Next(1, Math.Min(experts, 3) + 1);
        int tokens = rng.Next(1, 40);
        // Feasible, tight, and short of room (drops) in turn; integer scores, few distinct values for many ties.
        int capacity = rng.Next(3) switch
        {
            0 => (int)Math.Ceiling((double)tokens * k / experts),
            1 => rng.Next(0, tokens + 2),
            _ => Math.Max(0, (int)Math.Ceiling((double)tokens * k / experts) - rng.Next(1, 3)),
        };
        int spread = rng.Next(2) == 0 ? 4 : 1000;
        int[] integers = [.. Enumerable.Range(0, tokens * experts).Select(_ => rng.Next(-spread, spread + 1))];
        float[] scores = [.. integers.Select(v => (float)v)];
        var ws = new GateWorkspace();
        GateRouting.Balanced(scores, experts, k, capacity, ws);
        (long slots, long total) = MinCostFlowOracle.Solve(integers, tokens, experts, k, capacity);
        return ws.RoutedSlots == slots && GateRouting.RoutedScore(scores, ws) == total;
    }

    [Fact]
    public void Total_EqualsTheMinCostFlowOptimum_AtAMidSize()
    {
        var rng = new Random(11);
        const int tokens = 300;
        const int experts = 16;
        const int k = 2;
        int capacity = ExpertCapacity.Of(1.0, tokens, k, experts);
        // Skewed: every token favours a few experts, so the capacity binds hard.
        int[] integers = [.. Enumerable.Range(0, tokens * experts).Select(i => rng.Next(0, 1000) + (i % experts < 3 ? 2000 : 0))];
        float[] scores = [.. integers.Select(v => (float)v)];
        var ws = new GateWorkspace();
        GateRouting.Balanced(scores, experts, k, capacity, ws);
        (long slots, long total) = MinCostFlowOracle.Solve(integers, tokens, experts, k, capacity);
        Assert.Equal(0, ws.DroppedSlots);
        Assert.Equal(slots, ws.RoutedSlots);
        Assert.Equal(total, GateRouting.RoutedScore(scores, ws));
    }

    [Property(MaxTest = 150)]
    public bool RespectsCapacity_GivesDistinctExperts_AndDropsOnlyWhenShortOfRoom(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 20);
        int k = rng.Next(1, Math.Min(experts, 4) + 1);
        int tokens = rng.Next(0, 120);
        int capacity = rng.Next(0, tokens / Math.Max(1, experts / k) + 3);
        float[] scores = GateReference.RandomScores(rng, tokens, experts, adversarial: rng.Next(2) == 0);
        var ws = new GateWorkspace();
        GateRouting.Balanced(scores, experts, k, capacity, ws);
        int[] routes = ws.Routes.ToArray();
        int[] loads = GateReference.Count(routes, experts);
        long room = (long)experts * Math.Min(capacity, tokens);
        int expectedDrops = (int)Math.Max(0, (long)tokens * k - room);
        for (int t = 0; t < tokens; t++)
        {
            int[] row = routes[(t * k)..((t + 1) * k)];
            int filled = row.Count(e => e >= 0);
            // Filled slots first, distinct, best score first.
            if (row.Take(filled).Any(e => e < 0) || row.Skip(filled).Any(e => e >= 0) || row.Take(filled).Distinct().Count() != filled)
            {
                return false;
            }

            for (int j = 1; j < filled; j++)
            {
                if (scores[t * experts + row[j - 1]] < scores[t * experts + row[j]])
                {
                    return false;
                }
            }
        }

        return loads.All(l => l <= capacity) && ws.Loads.SequenceEqual(loads) && ws.DroppedSlots == expectedDrops
            && ws.Choices.SequenceEqual(GateReference.TopK(scores, experts, k))
            && ws.Demand.SequenceEqual(GateReference.Count(GateReference.TopK(scores, experts, k), experts));
    }

    [Fact]
    public void AmpleCapacity_GivesEveryTokenItsTopK()
    {
        var rng = new Random(5);
        float[] scores = GateReference.RandomScores(rng, 50, 8, adversarial: false);
        var ws = new GateWorkspace();
        GateRouting.Balanced(scores, 8, 3, 50, ws);
        Assert.Equal(GateReference.TopK(scores, 8, 3), ws.Routes.ToArray());
    }

    [Fact]
    public void SameScores_GiveTheSameRoutes_InAReusedWorkspace()
    {
        var rng = new Random(9);
        float[] scores = [.. Enumerable.Range(0, 64 * 6).Select(_ => rng.Next(3) / 2f)]; // many ties
        var ws = new GateWorkspace();
        GateRouting.Balanced(scores, 6, 2, 22, ws);
        int[] first = ws.Routes.ToArray();
        GateRouting.Balanced(GateReference.RandomScores(rng, 200, 9, adversarial: true), 9, 3, 70, ws);
        GateRouting.Balanced(scores, 6, 2, 22, ws);
        Assert.Equal(first, ws.Routes.ToArray());
        Assert.Equal(first, Route(scores, 6, 2, 22));
    }

    [Fact]
    public void BadInput_IsRejected_WithTheParameterNamed()
    {
        var ws = new GateWorkspace();
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.Balanced(new float[8], 4, 1, -1, ws)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.Balanced(new float[8], 4, 5, 1, ws)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => GateRouting.Balanced(new float[7], 4, 1, 1, ws)).ParamName);
        float[] nan = new float[8];
        nan[5] = float.NaN;
        Assert.Contains("token 1, expert 1", Assert.Throws<ArgumentException>(() => GateRouting.Balanced(nan, 4, 1, 1, ws)).Message, StringComparison.Ordinal);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => GateRouting.RoutedScore(new float[3], ws)).ParamName);
    }

    private static int[] Route(float[] scores, int experts, int k, int capacity)
    {
        var ws = new GateWorkspace();
        GateRouting.Balanced(scores, experts, k, capacity, ws);
        return ws.Routes.ToArray();
    }
}
