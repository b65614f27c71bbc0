using System.ComponentModel;
using System.Globalization;
using PhaseRouter.Gating;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// Settings of every mixture-of-experts gate (formerly <c>PhaseGateOptions</c>). <see cref="PhaseRouterGate"/> uses
/// all of them; the baselines (<see cref="TopKSoftmaxGate"/>, <see cref="HashGate"/>) use <see cref="Experts"/>,
/// <see cref="K"/>, <see cref="CapacityFactor"/> and (<see cref="HashGate"/>) <see cref="BaseSeed"/>. Call
/// <see cref="Validate"/> to check them; every gate does so in its constructor and keeps its own copy, with
/// <see cref="AcceptanceDegrees"/> copied, so a later change to the caller's list cannot reach the gate.
/// </summary>
/// <remarks>Lifetime: an immutable managed record; a gate keeps its own validated copy.</remarks>
public sealed record MoeGateOptions
{
    /// <summary>E, the number of experts (at least 1).</summary>
    public required int Experts { get; init; }

    /// <summary>k, the number of experts each token is dispatched to (<c>1 ≤ k ≤ E</c>). Default 1 (Switch routing).</summary>
    public int K { get; init; } = 1;

    /// <summary>
    /// m, the menu size of <see cref="GatePolicy.Menu"/>, <see cref="GatePolicy.Oblivious"/> and <see cref="GatePolicy.Packed"/> (<c>k ≤ m ≤ E</c>);
    /// <see langword="null"/> (the default) means <c>min(E, max(2k, 4))</c> for the menu policies
    /// (<see cref="EffectiveMenuSize"/>) and <c>min(E, max(k, ⌈√(2k · E)⌉))</c> for the packed one
    /// (<see cref="EffectivePackedMenuSize"/>). Ignored by the other policies and gates.
    /// </summary>
    public int? MenuSize { get; init; }

    /// <summary>
    /// Capacity factor cf (&gt; 0): each expert takes at most <c>C_e = ⌈cf · tokens · k / E⌉</c> tokens of a batch
    /// (<see cref="ExpertCapacity.Of"/>). Default 1.25.
    /// </summary>
    public double CapacityFactor { get; init; } = 1.25;

    /// <summary>The routing policy of <see cref="PhaseRouterGate"/>. Default <see cref="GatePolicy.Spill"/>.</summary>
    public GatePolicy Policy { get; init; } = GatePolicy.Spill;

    /// <summary>
    /// Auxiliary-loss-free bias balancing (DeepSeek-V3) for <see cref="PhaseRouterGate"/> (the "phase-bias" gate with
    /// <see cref="GatePolicy.Spill"/>) and <see cref="TopKSoftmaxGate"/> (the "lossfree" gate): a per-expert bias,
    /// kept in the buffer <see cref="MoeGate.BalanceBiasBufferName"/> (saved with the state dict), is added to the logits
    /// for selection only (the combine weights stay the unbiased softmax probabilities) and updated after each training
    /// batch by <c>b_e += u · sign(mean load − load_e)</c> with u = <see cref="BiasUpdateRate"/>. Default off; ignored by
    /// the other gates.
    /// </summary>
    public bool LossFreeBalancing { get; init; }

    /// <summary>u, the step of the loss-free bias update (finite, ≥ 0). Default 1e-3, DeepSeek-V3's. Used only with <see cref="LossFreeBalancing"/>.</summary>
    public double BiasUpdateRate { get; init; } = 1e-3;

    /// <summary>Base seed: the batch seed is <c>BaseSeed + step</c> in training and <c>BaseSeed</c> at inference. 0 is an ordinary seed.</summary>
    public ulong BaseSeed { get; init; }

    /// <summary>
    /// Optional per-expert acceptance degrees <c>t_e</c> (length E, each ≥ 0) for <see cref="GatePolicy.Menu"/> and
    /// <see cref="GatePolicy.Oblivious"/>: expert e is a menu candidate of at most <c>min(t_e, tokens)</c> tokens of a
    /// batch. <see langword="null"/> (the default) accepts every token.
    /// </summary>
    public IReadOnlyList<int>? AcceptanceDegrees { get; init; }

    /// <summary>
    /// a, the acceptance depth of <see cref="GatePolicy.Packed"/> (<c>1 ≤ a ≤ E</c>): expert e's row of T holds the
    /// tokens that rank e among their top-a experts. <see langword="null"/> (the default) means
    /// <see cref="GateRouting.DefaultAcceptanceDepth"/>: <c>min(E, ⌈2k · E / m⌉)</c> with m = <see cref="EffectivePackedMenuSize"/>,
    /// about 2k candidates per token. Ignored by the other policies and gates.
    /// </summary>
    public int? AcceptanceDepth { get; init; }

    /// <summary>
    /// The m of <see cref="GatePolicy.Packed"/>: <see cref="MenuSize"/>, or <see cref="GateRouting.DefaultPackedMenuSize"/>
    /// (<c>min(E, max(k, ⌈√(2k · E)⌉))</c>, 16 for E = 64, k = 2) when it is not set.
    /// </summary>
    public int EffectivePackedMenuSize => MenuSize ?? GateRouting.DefaultPackedMenuSize(Experts, K);

    /// <summary>The acceptance depth in effect: <see cref="AcceptanceDepth"/>, or <c>min(E, ⌈2k · E / m⌉)</c> with m = <see cref="EffectivePackedMenuSize"/>.</summary>
    public int EffectiveAcceptanceDepth => AcceptanceDepth ?? GateRouting.DefaultAcceptanceDepth(Experts, K, EffectivePackedMenuSize);

    /// <summary>The menu size in effect: <see cref="MenuSize"/>, or <c>min(E, max(2k, 4))</c> when it is not set.</summary>
    public int EffectiveMenuSize => MenuSize ?? Math.Min(Experts, Math.Max(2 * K, 4));

    /// <summary>Throws when a setting is out of range; the exception names the parameter and its value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="AcceptanceDegrees"/> has the wrong length.</exception>
    /// <exception cref="InvalidEnumArgumentException"><see cref="Policy"/> is not a defined policy.</exception>
    public void Validate()
    {
        if (Experts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Experts), Experts, "Experts must be at least 1.");
        }

        if (K < 1 || K > Experts)
        {
            throw new ArgumentOutOfRangeException(nameof(K), K, $"K must be in [1, Experts = {Experts}].");
        }

        if (MenuSize is int m && (m < K || m > Experts))
        {
            throw new ArgumentOutOfRangeException(nameof(MenuSize), m, $"MenuSize must be in [K = {K}, Experts = {Experts}].");
        }

        if (AcceptanceDepth is int a && (a < 1 || a > Experts))
        {
            throw new ArgumentOutOfRangeException(nameof(AcceptanceDepth), a, $"AcceptanceDepth must be in [1, Experts = {Experts}].");
        }

        if (!(CapacityFactor > 0) || double.IsInfinity(CapacityFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(CapacityFactor), CapacityFactor, "CapacityFactor must be a finite number greater than 0.");
        }

        if (!double.IsFinite(BiasUpdateRate) || BiasUpdateRate < 0 || BiasUpdateRate > float.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(BiasUpdateRate), BiasUpdateRate, "BiasUpdateRate must be a finite number, at least 0.");
        }

        if (!Enum.IsDefined(Policy))
        {
            throw new InvalidEnumArgumentException(nameof(Policy), (int)Policy, typeof(GatePolicy));
        }

        if (AcceptanceDegrees is { } degrees)
        {
            if (degrees.Count != Experts)
            {
                throw new ArgumentException(
                    $"AcceptanceDegrees has {degrees.Count} entries; it needs one per expert ({Experts}).", nameof(AcceptanceDegrees));
            }

            for (int e = 0; e < degrees.Count; e++)
            {
                if (degrees[e] < 0)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(AcceptanceDegrees), degrees[e], $"AcceptanceDegrees[{e.ToString(CultureInfo.InvariantCulture)}] must be at least 0.");
                }
            }
        }
    }

    /// <summary>
    /// A validated copy whose <see cref="AcceptanceDegrees"/> is the gate's own read-only array, so that a later change
    /// to the list the caller passed cannot change (or break) the gate.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range (see <see cref="Validate"/>).</exception>
    public MoeGateOptions ValidatedCopy()
    {
        int[]? degrees = AcceptanceDegrees?.ToArray();
        var copy = this with { AcceptanceDegrees = degrees is null ? null : Array.AsReadOnly(degrees) };
        copy.Validate();
        return copy;
    }

    /// <summary>The per-expert capacity of a batch: <see cref="ExpertCapacity.Of"/>(cf, tokens, k, E), the exact <c>⌈cf · tokens · k / E⌉</c>.</summary>
    /// <param name="tokens">Tokens in the batch (≥ 0).</param>
    /// <exception cref="ArgumentException">The capacity does not fit an <c>int</c>, or a setting is out of range.</exception>
    public int CapacityFor(int tokens) => ExpertCapacity.Of(CapacityFactor, tokens, K, Experts);
}
