using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>
/// Builds the vision transformer for a gate so that, for one seed, every gate starts from the same initial weights:
/// each component is created right after its own seed (the backbone, each block's attention, each block's MLP or
/// experts, each MoE block's gate), so a gate's parameters (or, for the hash gate, their absence) never shift the
/// random numbers of the rest. Only the routing differs between gates.
/// </summary>
public static class MoeModelFactory
{
    // Seed offsets of the components (added to the run seed; block b adds b).
    private const long AttentionSeed = 100;
    private const long FeedForwardSeed = 200;
    private const long GateSeed = 300;

    /// <summary>The model's shape from the settings.</summary>
    public static ModelConfig Config(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ModelConfig(
            settings.ModelDim, settings.HiddenDim, settings.Experts, PatchSide: settings.PatchSize, Depth: settings.Depth,
            Heads: settings.Heads, MoeEvery: settings.MoeEvery);
    }

    /// <summary>Creates the model of <paramref name="gate"/> with the settings' sizes, seed and routing options.</summary>
    public static MoeModel Create(GateDefinition gate, ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(settings);
        var config = Config(settings);
        var blocks = new List<TransformerBlock>(config.Depth);
        var moeLayers = new List<MoeLayer>();
        var moeBlocks = new List<int>();
        for (int b = 0; b < config.Depth; b++)
        {
            nn.Module<Tensor, Tensor> feedForward;
            if (config.IsMoeBlock(b))
            {
                manual_seed(settings.Seed + GateSeed + b);
                var moeGate = gate.Create(config.ModelDim, GateOptions(gate, settings, b), settings);
                manual_seed(settings.Seed + FeedForwardSeed + b);
                var moe = new MoeLayer(moeGate, config.ModelDim, config.HiddenDim, config.Experts);
                moeLayers.Add(moe);
                moeBlocks.Add(b);
                feedForward = moe;
            }
            else
            {
                manual_seed(settings.Seed + FeedForwardSeed + b);
                feedForward = new ExpertFeedForward(config.ModelDim, config.HiddenDim);
            }

            manual_seed(settings.Seed + AttentionSeed + b);
            blocks.Add(new TransformerBlock(config.ModelDim, config.Heads, feedForward));
        }

        manual_seed(settings.Seed);
        var classifier = new VisionMoeTransformer(config, blocks);
        return new MoeModel(classifier, moeLayers, moeBlocks);
    }

    /// <summary>
    /// The gate options of block <paramref name="block"/>: the settings' E, k, capacity factor and menu size, the
    /// gate's policy (its own for <c>phase-&lt;policy&gt;</c>, else <c>--policy</c>), and a routing base seed of
    /// its own per block (run seed + block).
    /// </summary>
    public static MoeGateOptions GateOptions(GateDefinition gate, ExperimentSettings settings, int block = 0)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(settings);
        return new MoeGateOptions
        {
            Experts = settings.Experts,
            K = settings.K,
            MenuSize = settings.MenuSize,
            CapacityFactor = settings.CapacityFactor,
            Policy = gate.PolicyFor(settings),
            BaseSeed = unchecked((ulong)((long)settings.Seed + block)),
        };
    }
}
