using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.Soak;

/// <summary>One short training of the soak: a gate (with its policy) on a model of E experts, k slots each.</summary>
/// <param name="Gate">The gate.</param>
/// <param name="Policy">The phase gate's policy (ignored by the other gates).</param>
/// <param name="Experts">E.</param>
/// <param name="K">k.</param>
/// <param name="CapacityFactor">Capacity factor.</param>
internal sealed record SoakCase(GateKind Gate, GatePolicy Policy, int Experts, int K, double CapacityFactor)
{
    /// <summary>
    /// The cycle of trainings: every gate and phase policy, on two model shapes, one after another in one process as
    /// the example runs its gates.
    /// </summary>
    public static IReadOnlyList<SoakCase> Cycle { get; } =
    [
        new(GateKind.Phase, GatePolicy.Spill, 8, 1, 1.0),
        new(GateKind.Softmax, GatePolicy.Spill, 8, 1, 1.0),
        new(GateKind.Hash, GatePolicy.Spill, 8, 1, 1.0),
        new(GateKind.Phase, GatePolicy.Menu, 8, 2, 1.25),
        new(GateKind.Phase, GatePolicy.Oblivious, 4, 2, 1.0),
        new(GateKind.Softmax, GatePolicy.Spill, 4, 2, 1.25),
        new(GateKind.Hash, GatePolicy.Spill, 4, 2, 1.0),
    ];

    /// <summary>A short name for the log: <c>phase/Spill E8 k1</c>.</summary>
    public string Name => Gate == GateKind.Phase ? $"phase/{Policy} E{Experts} k{K}" : $"{GateTrainer.GateName(Gate)} E{Experts} k{K}";

    /// <summary>The example's settings of this case: one epoch of small batches, seed varied per round.</summary>
    public ExperimentSettings Settings(int round, int threads) => new()
    {
        Gates = [Gate],
        Policy = Policy,
        Epochs = 1,
        Experts = Experts,
        K = K,
        MenuSize = Math.Max(K, Math.Min(4, Experts)),
        CapacityFactor = CapacityFactor,
        BatchSize = 32,
        Seed = 42 + round,
        Threads = threads,
    };
}
