using PhaseRouter.TorchSharp;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>
/// The trainer's only coupling to the gate API of PhaseRouter.TorchSharp: how a <see cref="MoeGateKind"/> and the
/// trainer's options become a gate, and the capacity formula the gates apply (kept here once, so that the move of
/// gate settings and capacity into Core changes this file only).
/// </summary>
internal static class GateFactory
{
    /// <summary>A new gate for one mixture-of-experts layer.</summary>
    /// <param name="options">The trainer's options (gate kind, experts, k, capacity factor).</param>
    /// <param name="modelDim">Width of the rows the gate sees.</param>
    /// <param name="baseSeed">The layer's routing seed.</param>
    public static MoeGate Create(MixtureOfExpertsMulticlassTrainer.Options options, int modelDim, ulong baseSeed)
    {
        var gateOptions = GateOptions(options, baseSeed);
        return options.Gate switch
        {
            MoeGateKind.SoftmaxTopK => new TopKSoftmaxGate(modelDim, gateOptions),
            MoeGateKind.Hash => new HashGate(modelDim, gateOptions),
            _ => new PhaseRouterGate(modelDim, gateOptions),
        };
    }

    /// <summary>The per-expert capacity of a batch of <paramref name="rows"/> rows: <c>⌈cf · rows · k / E⌉</c>.</summary>
    public static int CapacityFor(MixtureOfExpertsMulticlassTrainer.Options options, int rows) =>
        GateOptions(options, 0).CapacityFor(rows);

    private static MoeGateOptions GateOptions(MixtureOfExpertsMulticlassTrainer.Options options, ulong baseSeed) => new()
    {
        Experts = options.Experts,
        K = options.K,
        CapacityFactor = options.CapacityFactor,
        BaseSeed = baseSeed,
        Policy = options.Gate switch
        {
            MoeGateKind.PhaseMenu => GatePolicy.Menu,
            MoeGateKind.PhaseOblivious => GatePolicy.Oblivious,
            _ => GatePolicy.Spill,
        },
    };
}
