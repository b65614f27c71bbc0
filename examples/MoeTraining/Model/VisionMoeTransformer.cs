using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>
/// A small vision transformer in the V-MoE layout: 28×28 image → non-overlapping patches → linear embedding +
/// learned positions → pre-norm <see cref="TransformerBlock"/>s (mixture-of-experts feed-forward in every
/// <c>MoeEvery</c>-th block, dense MLP in the others) → LayerNorm → mean-pool over tokens → linear classifier.
/// </summary>
/// <remarks>
/// Lifetime: owns the embedding, the positions, the blocks (given to it; disposed with it) and the head. The forward's
/// temporaries live in its own dispose scope; only the logits move to the caller's.
/// </remarks>
public sealed class VisionMoeTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Linear embed;
    private readonly Parameter positions;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm finalNorm;
    private readonly Linear head;
    private readonly ModelConfig _config;

    /// <summary>Creates the model around its blocks (the model owns them from now on).</summary>
    /// <param name="config">The shape.</param>
    /// <param name="blocks">The <see cref="ModelConfig.Depth"/> blocks, in order.</param>
    public VisionMoeTransformer(ModelConfig config, IReadOnlyList<TransformerBlock> blocks)
        : base(nameof(VisionMoeTransformer))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count != config.Depth)
        {
            throw new ArgumentException($"The configuration has depth {config.Depth} but {blocks.Count} blocks were given.", nameof(blocks));
        }

        _config = config;
        embed = nn.Linear(config.PatchPixels, config.ModelDim);
        using var positionScale = 0.02.ToScalar(); // explicit and kept until the call returns (see ScalarSafeAdam)
        positions = nn.Parameter(randn(config.TokensPerImage, config.ModelDim).mul_(positionScale));
        this.blocks = new ModuleList<TransformerBlock>([.. blocks]);
        finalNorm = nn.LayerNorm([config.ModelDim]);
        head = nn.Linear(config.ModelDim, config.Classes);
        RegisterComponents();
    }

    /// <summary>The blocks, in order.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => [.. blocks];

    /// <summary>Images <c>[B, 784]</c> → class logits <c>[B, classes]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // add(Tensor) would make its alpha = 1 implicitly (see ScalarSafeAdam)
        var patches = Patches.Extract(input, _config.ImageSide, _config.PatchSide);
        var h = embed.call(patches).add(positions, one);
        foreach (var block in blocks)
        {
            h = block.call(h);
        }

        var pooled = finalNorm.call(h).mean([1]);
        return head.call(pooled).MoveToOuterDisposeScope();
    }
}
