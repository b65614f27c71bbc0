using PhaseRouter.TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.Benchmarks.Gate;

/// <summary>The gate benchmark's shape (tokens=8192, E=64, k=2, modelDim=256) and its gates.</summary>
public static class GateSetup
{
    public const int Tokens = 8192;
    public const int Experts = 64;
    public const int K = 2;
    public const int ModelDim = 256;

    public static readonly string[] Kinds =
        ["phase-spill", "phase-bias", "phase-menu", "phase-oblivious", "phase-packed", "topk-softmax", "lossfree", "expert-choice", "balanced", "hash"];

    public static MoeGateOptions Options { get; } = new() { Experts = Experts, K = K, CapacityFactor = 1.25, BaseSeed = 1, MenuSize = 8 };

    /// <summary>The packed policy with its own defaults (m = a = 16 at E = 64, k = 2; the menu size 8 above is the menu policy's).</summary>
    public static MoeGateOptions PackedOptions { get; } = Options with { Policy = GatePolicy.Packed, MenuSize = null };

    public static MoeGate Create(string kind) => kind switch
    {
        "phase-spill" => new PhaseRouterGate(ModelDim, Options),
        "phase-menu" => new PhaseRouterGate(ModelDim, Options with { Policy = GatePolicy.Menu }),
        "phase-oblivious" => new PhaseRouterGate(ModelDim, Options with { Policy = GatePolicy.Oblivious }),
        "phase-packed" => new PhaseRouterGate(ModelDim, PackedOptions),
        "phase-bias" => new PhaseRouterGate(ModelDim, Options with { LossFreeBalancing = true }),
        "topk-softmax" => new TopKSoftmaxGate(ModelDim, Options),
        "lossfree" => new TopKSoftmaxGate(ModelDim, Options with { LossFreeBalancing = true }),
        "expert-choice" => new ExpertChoiceGate(ModelDim, Options),
        "balanced" => new BalancedAssignmentGate(ModelDim, Options),
        "hash" => new HashGate(ModelDim, Options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown gate kind."),
    };

    /// <summary>The gate's <c>modelDim → E</c> logit projection, or <see langword="null"/> for the hash gate.</summary>
    public static Linear? ProjectionOf(MoeGate gate) => gate switch
    {
        PhaseRouterGate g => g.Projection,
        TopKSoftmaxGate g => g.Projection,
        ExpertChoiceGate g => g.Projection,
        BalancedAssignmentGate g => g.Projection,
        _ => null,
    };

    /// <summary>Clustered tokens (16 centres plus noise), so that an untrained gate already has preferred experts.</summary>
    public static Tensor Tokens0()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var centres = randn(16, ModelDim);
        var which = randint(0, 16, [Tokens]);
        return scope.MoveToOuter(centres.index_select(0, which) + 0.5 * randn(Tokens, ModelDim));
    }
}
