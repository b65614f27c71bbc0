using Google.OrTools.Graph;

namespace PhaseRouter.Core.Tests.Gating;

/// <summary>
/// The exactness oracle of the balanced assignment: OR-Tools' min-cost flow on source → token (capacity k) → expert
/// (capacity 1, cost −score) → sink (capacity C), solved as a maximum flow of minimum cost. Integer scores only.
/// </summary>
internal static class MinCostFlowOracle
{
    /// <summary>The largest number of routable slots and the largest total score among assignments routing that many.</summary>
    public static (long Slots, long Total) Solve(int[] scores, int tokens, int experts, int k, int capacity)
    {
        var flow = new MinCostFlow();
        int source = 0;
        int sink = tokens + experts + 1;
        for (int t = 0; t < tokens; t++)
        {
            flow.AddArcWithCapacityAndUnitCost(source, 1 + t, k, 0);
            for (int e = 0; e < experts; e++)
            {
                flow.AddArcWithCapacityAndUnitCost(1 + t, 1 + tokens + e, 1, -scores[t * experts + e]);
            }
        }

        for (int e = 0; e < experts; e++)
        {
            flow.AddArcWithCapacityAndUnitCost(1 + tokens + e, sink, capacity, 0);
        }

        // Supplies name the source and the sink; the solver then sends as much of them as the arcs allow.
        flow.SetNodeSupply(source, (long)tokens * k);
        flow.SetNodeSupply(sink, -(long)tokens * k);
        var status = flow.SolveMaxFlowWithMinCost();
        Assert.Equal(MinCostFlowBase.Status.OPTIMAL, status);
        return (flow.MaximumFlow(), -flow.OptimalCost());
    }
}
