using PhaseRouter.Gating;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// Balanced assignment (BASE layers, Lewis et al. 2021), the "balanced" gate: a learned linear map to logits, then per
/// batch the assignment of every token to k distinct experts, no expert above <c>C = ⌈cf · tokens · k / E⌉</c>, of
/// largest total logit, solved exactly (Core's <see cref="GateRouting.Balanced"/>, successive shortest paths). No slot
/// is dropped whenever <c>E · C ≥ tokens · k</c> (cf ≥ 1); below that the most slots possible are routed. The combine
/// weights are the softmax probabilities of the assigned experts, as for the other gates; each token's experts come
/// best first. The plan's demand counts each token's top-k experts by logit.
/// </summary>
/// <remarks>
/// Lifetime: as for every <see cref="MoeGate"/> (the caller owns the returned plan). Like expert choice, the routing of
/// a token depends on the rest of its batch. Its cost grows with contention; see <see cref="GateRouting.Balanced"/>.
/// </remarks>
public sealed class BalancedAssignmentGate : LinearProjectionGate
{

    /// <summary>Creates the gate.</summary>
    /// <param name="modelDim">Width of a token (≥ 1).</param>
    /// <param name="options">Experts, k and capacity factor (policy, menu and bias settings are ignored); validated and copied here.</param>
    /// <exception cref="ArgumentException">An option or <paramref name="modelDim"/> is out of range.</exception>
    public BalancedAssignmentGate(int modelDim, MoeGateOptions options) : base(nameof(BalancedAssignmentGate), modelDim, options)
    {
        RegisterComponents();
    }

    /// <inheritdoc />
    protected override RoutingPlan Route(Tensor tokens, int capacity, ulong seed, GateWorkspace workspace)
    {
        var logits = Projection.call(tokens);
        var probabilities = logits.softmax(1);
        long start = StartTiming();
        GateRouting.Balanced(ScoresOf(logits, out Tensor host), Experts, K, capacity, workspace);
        double milliseconds = ElapsedMilliseconds(start);
        GC.KeepAlive(host); // the span viewed its memory until here
        return CreatePlan(workspace, probabilities, null, milliseconds, seed);
    }
}
