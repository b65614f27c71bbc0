using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.TorchSharp;
using TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>
/// Builds the classifier for a gate so that every gate starts from the same initial weights: the gate, the experts
/// and the rest of the model are each created right after their own seed (the hash gate has no parameters, the
/// phase and softmax gates have the same <c>d → E</c> projection), so only the gate's routing differs.
/// </summary>
public static class MoeModelFactory
{
    /// <summary>Creates the model of <paramref name="gate"/> with the settings' sizes, seed and routing options.</summary>
    public static MoeModel Create(GateKind gate, ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new ModelConfig(settings.ModelDim, settings.HiddenDim, settings.Experts);
        var options = GateOptions(settings);

        torch.manual_seed(settings.Seed);
        MoeGate moeGate = gate switch
        {
            GateKind.Phase => new PhaseRouterGate(config.ModelDim, options) { MaxDegreeOfParallelism = settings.Threads },
            GateKind.Softmax => new TopKSoftmaxGate(config.ModelDim, options),
            GateKind.Hash => new HashGate(config.ModelDim, options),
            _ => throw new ArgumentOutOfRangeException(nameof(gate), gate, "Unknown gate."),
        };

        torch.manual_seed(settings.Seed + 1L);
        var moe = new MoeLayer(moeGate, config.ModelDim, config.HiddenDim, config.Experts);

        torch.manual_seed(settings.Seed + 2L);
        var classifier = new PatchMoeClassifier(config, moe);
        return new MoeModel(classifier, moe, moeGate);
    }

    /// <summary>The gate options of the settings (base seed = the run seed).</summary>
    public static MoeGateOptions GateOptions(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MoeGateOptions
        {
            Experts = settings.Experts,
            K = settings.K,
            MenuSize = settings.MenuSize,
            CapacityFactor = settings.CapacityFactor,
            Policy = settings.Policy,
            BaseSeed = unchecked((ulong)settings.Seed),
        };
    }
}
