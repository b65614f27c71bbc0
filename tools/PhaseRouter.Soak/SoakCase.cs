using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.Soak;

/// <summary>One short training of the soak: a gate (with its policy) on a model of E experts, k slots each.</summary>
/// <param name="Gate">The gate's name in the example's <see cref="GateCatalog"/>.</param>
/// <param name="Policy">The phase gate's policy (ignored by the other gates).</param>
/// <param name="Experts">E.</param>
/// <param name="K">k.</param>
/// <param name="CapacityFactor">Capacity factor.</param>
internal sealed record SoakCase(string Gate, GatePolicy Policy, int Experts, int K, double CapacityFactor)
{
    /// <summary>
    /// The cycle of trainings: every gate and phase policy, on two model shapes, one after another in one process as
    /// the example runs its gates.
    /// </summary>
    public static IReadOnlyList<SoakCase> Cycle { get; } =
    [
        new("phase", GatePolicy.Spill, 8, 1, 1.0),
        new("softmax", GatePolicy.Spill, 8, 1, 1.0),
        new("hash", GatePolicy.Spill, 8, 1, 1.0),
        new("phase", GatePolicy.Menu, 8, 2, 1.25),
        new("phase", GatePolicy.Oblivious, 4, 2, 1.0),
        new("softmax", GatePolicy.Spill, 4, 2, 1.25),
        new("hash", GatePolicy.Spill, 4, 2, 1.0),
    ];

    /// <summary>A short name for the log: <c>phase/Spill E8 k1</c>.</summary>
    public string Name => Gate == "phase" ? $"phase/{Policy} E{Experts} k{K}" : $"{Gate} E{Experts} k{K}";

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
