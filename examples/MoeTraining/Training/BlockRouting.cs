using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>What one MoE block's gate did with one batch.</summary>
/// <param name="Block">The block index in the model.</param>
/// <param name="Loads">Tokens each expert processed (after capacity).</param>
/// <param name="Demand">
/// Tokens that chose each expert before capacity (<see cref="RoutingPlan.ExpertDemand"/>: top-k by logit for the
/// learned gates, the hash choices for hash); sums to <paramref name="Slots"/>.
/// </param>
/// <param name="Capacity">Capacity per expert.</param>
/// <param name="Tokens">Tokens routed.</param>
/// <param name="Slots">Slots: tokens · k (the gate's k, also for expert choice, whose plan is E wide).</param>
/// <param name="DroppedSlots">
/// Slots that got no expert: per token, how far its expert count falls short of k (for the k-wide plans exactly the
/// plan's <see cref="RoutingPlan.DroppedSlots"/>; for expert choice the tokens' shortfall below k, extra experts of
/// other tokens not offsetting it).
/// </param>
/// <param name="SpilledSlots">Routed slots whose expert is outside the token's top-k (see <see cref="RoutingMetrics.SpilledSlots"/>).</param>
/// <param name="TokensWithoutExpert">Tokens that got no expert at all (they pass the block on the residual path only).</param>
/// <param name="RouterMilliseconds">The gate's routing time (<see cref="RoutingPlan.RouterMilliseconds"/>).</param>
public sealed record BlockRouting(
    int Block,
    int[] Loads,
    int[] Demand,
    int Capacity,
    int Tokens,
    int Slots,
    int DroppedSlots,
    int SpilledSlots,
    int TokensWithoutExpert,
    double RouterMilliseconds)
{
    /// <summary>MaxVio of the loads the experts processed.</summary>
    public double MaxVio => RoutingMetrics.MaxVio(Loads);

    /// <summary>MaxVio of the demand (top-k before capacity).</summary>
    public double DemandMaxVio => RoutingMetrics.MaxVio(Demand);

    /// <summary>Reads a block's plan (its managed copies; the plan's tensors are not touched).</summary>
    /// <param name="block">The block index.</param>
    /// <param name="plan">The block's plan of the batch.</param>
    /// <param name="k">The gate's k (the plan may be wider: E for expert choice).</param>
    public static BlockRouting From(int block, RoutingPlan plan, int k)
    {
        ArgumentNullException.ThrowIfNull(plan);
        int[] routes = plan.GetRoutes();
        return new BlockRouting(
            block,
            plan.GetExpertLoads(),
            plan.GetExpertDemand(),
            plan.Capacity,
            plan.Tokens,
            plan.Tokens * k,
            RoutingMetrics.ShortSlots(routes, plan.K, k),
            RoutingMetrics.SpilledSlots(routes, plan.GetChoices(), plan.K),
            plan.TokensWithoutExpert,
            plan.RouterMilliseconds);
    }
}
