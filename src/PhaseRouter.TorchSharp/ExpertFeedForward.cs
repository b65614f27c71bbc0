using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>One expert of a <see cref="MoeLayer"/>: <c>Linear(modelDim → hiddenDim) → GELU → Linear(hiddenDim → modelDim)</c>.</summary>
/// <remarks>
/// Lifetime: owns its two linear maps (disposed with it; the layer that holds it disposes it). Its temporaries live in
/// the forward's own dispose scope; the output goes to the caller's scope (or to the caller when there is none).
/// </remarks>
public sealed class ExpertFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    /// <summary>Creates the expert.</summary>
    /// <param name="modelDim">Input and output width (≥ 1).</param>
    /// <param name="hiddenDim">Hidden width (≥ 1).</param>
    public ExpertFeedForward(int modelDim, int hiddenDim) : base(nameof(ExpertFeedForward))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(modelDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenDim, 1);
        fc1 = nn.Linear(modelDim, hiddenDim);
        fc2 = nn.Linear(hiddenDim, modelDim);
        RegisterComponents();
    }

    /// <summary>Applies the expert to <c>[n, modelDim]</c> tokens.</summary>
    /// <param name="input">The tokens.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(fc2.call(nn.functional.gelu(fc1.call(input))));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            fc1.Dispose();
            fc2.Dispose();
        }

        base.Dispose(disposing);
    }
}
