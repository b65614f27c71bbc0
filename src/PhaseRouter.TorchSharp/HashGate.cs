using PhaseRouter.Gating;
using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// The oblivious hash baseline (after hash layers, Roller et al. 2021, keyed by position since a gate sees no token
/// ids): token t of a batch (its row in the flattened <c>[tokens, modelDim]</c> input) is sent to k distinct experts
/// drawn from a SplitMix64 stream keyed by <c>(BaseSeed, t)</c>, the same every step, in training and at inference
/// (Core's <see cref="GateRouting.Hash"/>). Capacity <c>⌈cf · tokens · k / E⌉</c> is enforced by dropping (all
/// first choices in token order, then all second choices, …). The gate has no parameters and accepts any floating
/// dtype; each routed slot's combine weight is the constant <c>1/k</c>. The plan's
/// <see cref="RoutingPlan.ExpertDemand"/> counts the hash choices before capacity.
/// </summary>
/// <remarks>Lifetime: as for every <see cref="MoeGate"/> (the caller owns the returned plan).</remarks>
public sealed class HashGate : MoeGate
{
    /// <summary>Creates the gate.</summary>
    /// <param name="modelDim">Width of a token (≥ 1); the input is checked against it.</param>
    /// <param name="options">Experts, k, capacity factor and base seed (policy and menu settings are ignored); validated here.</param>
    /// <exception cref="ArgumentException">An option or <paramref name="modelDim"/> is out of range.</exception>
    public HashGate(int modelDim, MoeGateOptions options) : base(nameof(HashGate), modelDim, options)
    {
        RegisterComponents();
    }

    /// <inheritdoc />
    protected override RoutingPlan Route(Tensor tokens, int capacity, ulong seed, GateWorkspace workspace)
    {
        long start = StartTiming();
        int count = (int)tokens.shape[0];
        GateRouting.Hash(count, Experts, K, capacity, Options.BaseSeed, workspace);
        double milliseconds = ElapsedMilliseconds(start);
        using var weight = (1.0 / K).ToScalar(); // explicit and kept until the call returns (see ScalarSafeAdam)
        var uniform = full(count, Experts, weight, tokens.dtype, tokens.device);
        return CreatePlan(workspace, uniform, null, milliseconds, Options.BaseSeed);
    }
}
