namespace PhaseRouter.TorchSharp;

/// <summary>The loads of one routed batch, as recorded by a <see cref="GateLoadMonitor"/>.</summary>
/// <param name="Step">The gate's step counter when the batch was routed (it advances after each training batch).</param>
/// <param name="Training">Whether the gate was in training mode.</param>
/// <param name="Tokens">Tokens in the batch.</param>
/// <param name="K">Slots per token.</param>
/// <param name="Capacity">The per-expert capacity of the batch.</param>
/// <param name="DroppedSlots">Slots left empty.</param>
/// <param name="Loads">Tokens received by each expert (length E).</param>
/// <param name="RouterMilliseconds">Routing time of the batch (see <see cref="RoutingPlan.RouterMilliseconds"/>).</param>
public sealed record GateLoadRecord(long Step, bool Training, int Tokens, int K, int Capacity, int DroppedSlots, int[] Loads, double RouterMilliseconds)
{
    /// <summary>The largest expert load.</summary>
    public int MaxLoad => Loads.Length == 0 ? 0 : Loads.Max();
}
