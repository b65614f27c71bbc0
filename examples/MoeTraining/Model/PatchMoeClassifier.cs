using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>
/// A small patch-token classifier: 28×28 → 16 patches of 7×7 → linear embedding + learned positions →
/// one block <c>h + FFN(LayerNorm(h))</c> whose feed-forward network is a mixture-of-experts layer (all
/// batch·16 tokens routed together) → LayerNorm → mean-pool over tokens → linear classifier.
/// </summary>
public sealed class PatchMoeClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Linear _embed;
    private readonly Parameter _positions;
    private readonly LayerNorm _preNorm;
    private readonly nn.Module<Tensor, Tensor> _feedForward;
    private readonly LayerNorm _finalNorm;
    private readonly Linear _head;
    private readonly ModelConfig _config;

    /// <summary>Creates the model around a token-wise feed-forward module <c>[tokens, d] → [tokens, d]</c>.</summary>
    public PatchMoeClassifier(ModelConfig config, nn.Module<Tensor, Tensor> feedForward)
        : base(nameof(PatchMoeClassifier))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(feedForward);
        _config = config;
        _embed = nn.Linear(config.PatchPixels, config.ModelDim);
        using var positionScale = 0.02.ToScalar(); // explicit and kept until the call returns (see ScalarSafeAdam)
        _positions = nn.Parameter(randn(config.TokensPerImage, config.ModelDim).mul_(positionScale));
        _preNorm = nn.LayerNorm([config.ModelDim]);
        _feedForward = feedForward;
        _finalNorm = nn.LayerNorm([config.ModelDim]);
        _head = nn.Linear(config.ModelDim, config.Classes);
        RegisterComponents();
    }

    /// <summary>The token-wise feed-forward module (the mixture-of-experts layer).</summary>
    public nn.Module<Tensor, Tensor> FeedForward => _feedForward;

    /// <summary>Images <c>[B, 784]</c> → class logits <c>[B, classes]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // add(Tensor) would make its alpha = 1 implicitly (see ScalarSafeAdam)
        long b = input.shape[0];
        int tokens = _config.TokensPerImage;
        int d = _config.ModelDim;
        var patches = Patches.Extract(input, _config.ImageSide, _config.PatchSide);
        var h = _embed.call(patches).add(_positions, one).reshape(b * tokens, d);
        h = h.add(_feedForward.call(_preNorm.call(h)), one);
        var pooled = _finalNorm.call(h).reshape(b, tokens, d).mean([1]);
        return _head.call(pooled).MoveToOuterDisposeScope();
    }
}
