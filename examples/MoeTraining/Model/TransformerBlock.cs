using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>
/// One pre-norm transformer block on <c>[batch, tokens, d]</c>: <c>h = x + MHA(LN(x))</c>, then
/// <c>h + FFN(LN(h))</c>. The attention is TorchSharp's <c>nn.MultiheadAttention</c> (no dropout); the
/// feed-forward is any token-wise module, here a dense MLP or a <see cref="PhaseRouter.TorchSharp.MoeLayer"/>, which
/// routes all <c>batch · tokens</c> tokens of the batch together.
/// </summary>
/// <remarks>
/// Lifetime: owns its norms, its attention and its feed-forward (registered submodules, disposed with it). The
/// forward's temporaries live in its own dispose scope; only the output moves to the caller's.
/// </remarks>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm attentionNorm;
    private readonly MultiheadAttention attention;
    private readonly LayerNorm feedForwardNorm;
    private readonly nn.Module<Tensor, Tensor> feedForward;

    /// <summary>Creates the block around <paramref name="feedForward"/> (<c>[batch, tokens, d] → [batch, tokens, d]</c>).</summary>
    /// <param name="modelDim">Token width d.</param>
    /// <param name="heads">Attention heads; must divide <paramref name="modelDim"/>.</param>
    /// <param name="feedForward">The block's feed-forward; the block owns it from now on.</param>
    public TransformerBlock(int modelDim, int heads, nn.Module<Tensor, Tensor> feedForward)
        : base(nameof(TransformerBlock))
    {
        ArgumentNullException.ThrowIfNull(feedForward);
        ArgumentOutOfRangeException.ThrowIfLessThan(modelDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (modelDim % heads != 0)
        {
            throw new ArgumentException($"The model width {modelDim} is not a multiple of the {heads} heads.", nameof(heads));
        }

        attentionNorm = nn.LayerNorm([modelDim]);
        attention = nn.MultiheadAttention(modelDim, heads);
        feedForwardNorm = nn.LayerNorm([modelDim]);
        this.feedForward = feedForward;
        RegisterComponents();
    }

    /// <summary>The block's feed-forward module.</summary>
    public nn.Module<Tensor, Tensor> FeedForward => feedForward;

    /// <summary><c>[batch, tokens, d]</c> → <c>[batch, tokens, d]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar(); // add(Tensor) would make its alpha = 1 implicitly (see ScalarSafeAdam)
        // nn.MultiheadAttention takes [tokens, batch, d]; the attention weights are not asked for.
        var normed = attentionNorm.call(input).transpose(0, 1);
        var (attended, _) = attention.call(normed, normed, normed, null, false, null);
        var h = input.add(attended.transpose(0, 1), one);
        var output = h.add(feedForward.call(feedForwardNorm.call(h)), one);
        return scope.MoveToOuter(output);
    }
}
