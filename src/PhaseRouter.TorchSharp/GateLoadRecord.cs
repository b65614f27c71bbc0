namespace PhaseRouter.TorchSharp;

/// <summary>The loads of one routed batch, as recorded by a <see cref="GateLoadMonitor"/> (managed copies: valid for ever).</summary>
/// <param name="Step">The gate's step counter when the batch was routed (it advances after each training batch).</param>
/// <param name="Training">Whether the gate was in training mode.</param>
/// <param name="Tokens">Tokens in the batch.</param>
/// <param name="K">Slots per token.</param>
/// <param name="Capacity">The per-expert capacity of the batch.</param>
/// <param name="DroppedSlots">Slots left empty.</param>
/// <param name="Loads">Tokens received by each expert (length E).</param>
/// <param name="Demand">
/// Tokens naming each expert among their k choices before capacity (length E; see <see cref="RoutingPlan.ExpertDemand"/>):
/// top-k by logit for the phase and softmax gates, the hash choices for the hash gate; sums to <c>Tokens · K</c>.
/// </param>
/// <param name="RouterMilliseconds">Routing time of the batch (see <see cref="RoutingPlan.RouterMilliseconds"/>).</param>
public sealed record GateLoadRecord(long Step, bool Training, int Tokens, int K, int Capacity, int DroppedSlots, int[] Loads, int[] Demand,
    double RouterMilliseconds)
{
    /// <summary>The largest expert load.</summary>
    public int MaxLoad => Loads.Length == 0 ? 0 : Loads.Max();

    /// <summary>The largest expert demand (it can exceed <see cref="Capacity"/>).</summary>
    public int MaxDemand => Demand.Length == 0 ? 0 : Demand.Max();
}
