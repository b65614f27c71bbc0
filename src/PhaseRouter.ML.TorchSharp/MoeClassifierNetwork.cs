using PhaseRouter.TorchSharp;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>
/// The trainer's network: <c>GELU(Linear(features → d))</c>, then per layer <c>x + MoE(LayerNorm(x))</c> (a row
/// dropped by capacity keeps its value through the residual), then <c>Linear(LayerNorm(x) → classes)</c>. Returns
/// class logits.
/// </summary>
internal sealed class MoeClassifierNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear input;
    private readonly ModuleList<LayerNorm> norms;
    private readonly ModuleList<MoeLayer> moe;
    private readonly LayerNorm headNorm;
    private readonly Linear head;
    private readonly MoeLayer[] _moe;

    /// <summary>Builds the network; its initial weights come from torch's global generator (seed it first).</summary>
    public MoeClassifierNetwork(MixtureOfExpertsMulticlassTrainer.Options options, int features, int classes)
        : base(nameof(MoeClassifierNetwork))
    {
        int d = options.ModelDim;
        input = nn.Linear(features, d);
        norms = new ModuleList<LayerNorm>(Enumerable.Range(0, options.Layers).Select(_ => nn.LayerNorm(d)).ToArray());
        _moe = Enumerable.Range(0, options.Layers)
            .Select(layer => new MoeLayer(GateFactory.Create(options, d, unchecked((ulong)options.Seed + (ulong)layer * 0x9E3779B97F4A7C15UL)),
                d, options.HiddenDim, options.Experts))
            .ToArray();
        moe = new ModuleList<MoeLayer>(_moe);
        headNorm = nn.LayerNorm(d);
        head = nn.Linear(d, classes);
        RegisterComponents();
    }

    /// <summary>The mixture-of-experts layers, first to last.</summary>
    public IReadOnlyList<MoeLayer> MoeLayers => _moe;

    /// <summary>Class logits <c>[rows, classes]</c> of <c>[rows, features]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.gelu(input.call(x));
        using var one = 1.ToScalar(); // Tensor + Tensor would make its alpha = 1 implicitly (see ScalarSafeAdam)
        for (int layer = 0; layer < _moe.Length; layer++)
        {
            h = h.add(_moe[layer].call(norms[layer].call(h)), one);
        }

        return scope.MoveToOuter(head.call(headNorm.call(h)));
    }

    /// <summary>The sum of the layers' auxiliary losses of the last forward (a scalar in the caller's scope).</summary>
    public Tensor AuxLoss()
    {
        Tensor total = _moe[0].LastPlan!.AuxLoss;
        using var one = 1.ToScalar(); // Tensor + Tensor would make its alpha = 1 implicitly (see ScalarSafeAdam)
        for (int layer = 1; layer < _moe.Length; layer++)
        {
            total = total.add(_moe[layer].LastPlan!.AuxLoss, one);
        }

        return total;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Dispose();
            norms.Dispose();
            moe.Dispose();
            headNorm.Dispose();
            head.Dispose();
        }

        base.Dispose(disposing);
    }
}
