using PhaseRouter.Gating;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// Expert choice (Zhou et al. 2022), the "expert-choice" gate: a learned linear map to logits, softmax over the experts,
/// then each expert takes its <c>C = ⌈cf · tokens · k / E⌉</c> tokens of highest probability (ties to the lower token;
/// Core's <see cref="GateRouting.ExpertChoice"/>), with those probabilities as combine weights. Every expert is filled
/// exactly to capacity (all tokens when there are fewer); a token gets between 0 and E experts, on average
/// <c>k · cf</c>. The plan is therefore E slots wide (<see cref="RoutingPlan.K"/> = E, not <see cref="MoeGate.K"/>):
/// each token's experts first in ascending expert order, then -1; <see cref="MoeLayer"/> dispatches and combines it
/// like any plan. <see cref="RoutingPlan.TokensWithoutExpert"/> counts the tokens no expert chose; the plan's
/// <see cref="RoutingPlan.DroppedSlots"/> counts the empty slots of the E-wide rows, which for this gate is not a loss.
/// The plan's demand counts each token's top-k experts by logit (k = <see cref="MoeGateOptions.K"/>).
/// </summary>
/// <remarks>
/// Lifetime: as for every <see cref="MoeGate"/> (the caller owns the returned plan). Expert choice looks at the whole
/// batch to route a token, so a token's experts depend on the other tokens of its batch (and it cannot route one
/// token at a time, as autoregressive decoding would need).
/// </remarks>
public sealed class ExpertChoiceGate : LinearProjectionGate
{

    /// <summary>Creates the gate.</summary>
    /// <param name="modelDim">Width of a token (≥ 1).</param>
    /// <param name="options">Experts, k and capacity factor (policy, menu and bias settings are ignored); validated and copied here.</param>
    /// <exception cref="ArgumentException">An option or <paramref name="modelDim"/> is out of range.</exception>
    public ExpertChoiceGate(int modelDim, MoeGateOptions options) : base(nameof(ExpertChoiceGate), modelDim, options)
    {
        RegisterComponents();
    }

    /// <inheritdoc />
    protected override RoutingPlan Route(Tensor tokens, int capacity, ulong seed, GateWorkspace workspace)
    {
        var logits = Projection.call(tokens);
        var probabilities = logits.softmax(1);
        long start = StartTiming();
        // The experts compare tokens, so they compare probabilities (normalised per token), not raw logits.
        GateRouting.ExpertChoice(ScoresOf(probabilities, out Tensor host), Experts, K, capacity, workspace);
        double milliseconds = ElapsedMilliseconds(start);
        GC.KeepAlive(host); // the span viewed its memory until here
        return CreatePlan(workspace, probabilities, null, milliseconds, seed);
    }
}
