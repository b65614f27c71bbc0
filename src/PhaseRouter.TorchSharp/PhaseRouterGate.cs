using PhaseRouter.Gating;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// The Phase Router gate (SPEC §3): a learned linear map to expert logits, routed under per-expert capacity by the
/// <see cref="MoeGateOptions.Policy"/> (<see cref="GatePolicy.Spill"/> by default) through Core's
/// <see cref="GateRouting"/>. No expert ever receives more than <see cref="RoutingPlan.Capacity"/> tokens; the combine
/// weights are the softmax probabilities of the chosen experts. Routing is reproducible: seed <c>BaseSeed + step</c>
/// in training, <c>BaseSeed</c> at inference. The plan's <see cref="RoutingPlan.ExpertDemand"/> counts each token's
/// top-k experts by logit under every policy. With <see cref="MoeGateOptions.LossFreeBalancing"/> (the "phase-bias"
/// gate) the policy selects with the logits plus the gate's per-expert balance bias, the combine weights stay the
/// unbiased probabilities, the demand counts the biased top-k, and each training batch updates the bias (see
/// <see cref="MoeGate.UpdateBalanceBias"/>).
/// </summary>
/// <remarks>Lifetime: as for every <see cref="MoeGate"/> (the caller owns the returned plan).</remarks>
public sealed class PhaseRouterGate : LinearProjectionGate
{
    private readonly int[] _acceptance;

    /// <summary>Creates the gate.</summary>
    /// <param name="modelDim">Width of a token (≥ 1).</param>
    /// <param name="options">Experts, k, menu size, capacity factor, policy, seed; validated and copied here.</param>
    /// <exception cref="ArgumentException">An option or <paramref name="modelDim"/> is out of range.</exception>
    public PhaseRouterGate(int modelDim, MoeGateOptions options) : base(nameof(PhaseRouterGate), modelDim, options)
    {
        _acceptance = Options.AcceptanceDegrees is { } degrees ? [.. degrees] : [];
        RegisterBalanceBias();
        RegisterComponents();
    }

    /// <inheritdoc />
    protected override RoutingPlan Route(Tensor tokens, int capacity, ulong seed, GateWorkspace workspace)
    {
        var logits = Projection.call(tokens);
        var probabilities = logits.softmax(1);
        long start = StartTiming();
        ReadOnlySpan<float> scores = SelectionScores(ScoresOf(logits, out Tensor host), out float[]? rented);
        switch (Options.Policy)
        {
            case GatePolicy.Spill:
                GateRouting.Spill(scores, Experts, K, capacity, seed, workspace);
                break;
            case GatePolicy.Menu:
                GateRouting.Menu(scores, Experts, K, Options.EffectiveMenuSize, _acceptance, capacity, seed, workspace);
                break;
            case GatePolicy.Packed:
                GateRouting.Packed(scores, Experts, K, Options.EffectivePackedMenuSize, Options.EffectiveAcceptanceDepth, capacity, seed, workspace);
                break;
            default:
                GateRouting.Oblivious(scores.Length / Experts, Experts, K, Options.EffectiveMenuSize, _acceptance, capacity, seed, workspace, scores);
                break;
        }

        double milliseconds = ElapsedMilliseconds(start);
        GC.KeepAlive(host); // the span viewed its memory until here
        ReturnSelectionScores(rented);
        UpdateBalanceBias(workspace);
        return CreatePlan(workspace, probabilities, null, milliseconds, seed);
    }
}
