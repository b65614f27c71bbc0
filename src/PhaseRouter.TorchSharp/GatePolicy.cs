namespace PhaseRouter.TorchSharp;

/// <summary>
/// How a <see cref="PhaseRouterGate"/> turns gate logits into capacity-bounded dispatch (SPEC §3); each policy is a
/// function of Core's <see cref="Gating.GateRouting"/>.
/// </summary>
public enum GatePolicy
{
    /// <summary>
    /// Each token takes its top-k experts by logit while they have room (tokens served highest top logit first); the
    /// slots that overflow are transported by the Phase Router operator to the residual capacity, where each overflow
    /// token takes its best candidates by logit; a completion pass then fills what is still empty (Core's
    /// <see cref="Gating.GateRouting.Spill"/>). No slot is dropped whenever <c>E · capacity ≥ tokens · k</c>.
    /// </summary>
    Spill = 0,

    /// <summary>
    /// Each token gets a balanced, decorrelated menu of <see cref="MoeGateOptions.MenuSize"/> experts from the operator
    /// and takes its top-k menu experts by logit under capacity. Expert load is at most <c>⌈tokens·m/E⌉</c> whatever
    /// the logits.
    /// </summary>
    Menu = 1,

    /// <summary>The original behaviour: the same menus as <see cref="Menu"/>, but k experts drawn at random among them (logits ignored), capacity enforced.</summary>
    Oblivious = 2,

    /// <summary>
    /// Per batch the logits are packed into S (tokens × E, each token's top-m experts, m =
    /// <see cref="MoeGateOptions.EffectivePackedMenuSize"/>) and T (E × tokens, each expert's row the tokens that rank it
    /// among their top-a, a = <see cref="MoeGateOptions.EffectiveAcceptanceDepth"/>), so an expert that more tokens
    /// favour gets a longer arc and more candidates; the operator routes them with the logits as scores under
    /// capacity, and the spill completion fills what is left (Core's <see cref="Gating.GateRouting.Packed"/>). The
    /// plan carries the packed matrices (<see cref="RoutingPlan.PackedSources"/>, <see cref="RoutingPlan.PackedTargets"/>).
    /// </summary>
    Packed = 3,
}
