using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// A mixture-of-experts feed-forward layer: a <see cref="MoeGate"/> routes each token to up to k experts, each expert
/// runs on the tokens it received (gathered with index_select along the plan's grouped dispatch), and the outputs are
/// summed back per token with the combine weights (index_add). A token with no expert gets zeros. The experts are any
/// <c>nn.Module&lt;Tensor, Tensor&gt;</c> mapping <c>[n, modelDim]</c> to <c>[n, modelDim]</c>; by default
/// <see cref="ExpertFeedForward"/> (Linear → GELU → Linear). Accepts <c>[tokens, modelDim]</c> or
/// <c>[batch, seq, modelDim]</c> and returns the same shape. The gate and the experts are invoked with <c>call</c>,
/// so their hooks run.
/// </summary>
/// <remarks>
/// Lifetime: the layer owns its gate and experts and disposes them with itself. The output of a forward goes to the
/// caller's dispose scope (or to the caller, when there is none). The batch's <see cref="RoutingPlan"/> crosses the
/// forward's scope on purpose: it is detached from every scope and owned by the layer as <see cref="LastPlan"/>,
/// valid until the next forward or until the layer is disposed, whichever comes first; the autograd graph of the
/// output keeps what it needs of the plan's combine weights, so backward may run after the next forward. Train with
/// <see cref="ScalarSafeAdam"/> rather than <c>torch.optim.Adam</c> (see there why). Not thread-safe.
/// </remarks>
public sealed class MoeLayer : nn.Module<Tensor, Tensor>
{
    private readonly MoeGate gate;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> experts;
    private readonly nn.Module<Tensor, Tensor>[] _experts;
    private RoutingPlan? _lastPlan;

    /// <summary>Creates the layer with <paramref name="experts"/> default experts (<see cref="ExpertFeedForward"/>).</summary>
    /// <param name="gate">The gate; its expert count must equal <paramref name="experts"/> and its width <paramref name="modelDim"/>.</param>
    /// <param name="modelDim">Token width (≥ 1).</param>
    /// <param name="hiddenDim">Hidden width of each expert (≥ 1).</param>
    /// <param name="experts">Number of experts (≥ 1).</param>
    /// <exception cref="ArgumentException">The gate does not match the layer, or a size is out of range.</exception>
    public MoeLayer(MoeGate gate, int modelDim, int hiddenDim, int experts)
        : this(gate, CheckedDefaults(gate, modelDim, hiddenDim, experts))
    {
    }

    /// <summary>Creates the layer with one expert per gate expert from <paramref name="expertFactory"/>.</summary>
    /// <param name="gate">The gate; its width is the layer's.</param>
    /// <param name="expertFactory">Builds expert e (called for e = 0 … E − 1); each maps <c>[n, modelDim]</c> to <c>[n, modelDim]</c>.</param>
    /// <exception cref="ArgumentException">The factory returns null or the same module twice.</exception>
    public MoeLayer(MoeGate gate, Func<int, nn.Module<Tensor, Tensor>> expertFactory)
        : this(gate, Build(gate, expertFactory))
    {
    }

    /// <summary>Creates the layer with the given experts (the layer owns them from now on and disposes them).</summary>
    /// <param name="gate">The gate; its expert count must equal the number of experts.</param>
    /// <param name="experts">The experts, one per gate expert, distinct; each maps <c>[n, modelDim]</c> to <c>[n, modelDim]</c>.</param>
    /// <exception cref="ArgumentException">The count does not match the gate, or an expert is null or repeated.</exception>
    public MoeLayer(MoeGate gate, IReadOnlyList<nn.Module<Tensor, Tensor>> experts) : base(nameof(MoeLayer))
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(experts);
        if (experts.Count != gate.Experts)
        {
            throw new ArgumentException($"The gate routes to {gate.Experts} experts but {experts.Count} were given.", nameof(experts));
        }

        for (int e = 0; e < experts.Count; e++)
        {
            if (experts[e] is null)
            {
                throw new ArgumentException($"Expert {e} is null.", nameof(experts));
            }

            for (int other = 0; other < e; other++)
            {
                if (ReferenceEquals(experts[other], experts[e]))
                {
                    throw new ArgumentException($"Experts {other} and {e} are the same module; each expert needs its own.", nameof(experts));
                }
            }
        }

        ModelDim = gate.ModelDim;
        this.gate = gate;
        _experts = [.. experts];
        this.experts = new ModuleList<nn.Module<Tensor, Tensor>>(_experts);
        RegisterComponents();
    }

    /// <summary>Token width.</summary>
    public int ModelDim { get; }

    /// <summary>The gate.</summary>
    public MoeGate Gate => gate;

    /// <summary>The experts, in gate order.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Experts => _experts;

    /// <summary>
    /// The plan of the most recent forward, or <see langword="null"/> before the first. Owned by the layer: it is
    /// disposed by the next forward and by disposing the layer; read what you need (e.g. add its
    /// <see cref="RoutingPlan.AuxLoss"/> to the loss) before the next forward. Do not dispose it yourself and do not
    /// keep its tensors: after the next forward they throw <see cref="InvalidOperationException"/> (its managed
    /// copies such as <see cref="RoutingPlan.GetExpertLoads"/> stay valid).
    /// </summary>
    public RoutingPlan? LastPlan => _lastPlan;

    /// <summary>Routes the tokens and combines the experts' outputs.</summary>
    /// <param name="input"><c>[tokens, modelDim]</c> or <c>[batch, seq, modelDim]</c>, of the gate's dtype.</param>
    /// <returns>A tensor of the input's shape, dtype and device.</returns>
    /// <exception cref="ArgumentException">The input has the wrong rank, width or dtype.</exception>
    public override Tensor forward(Tensor input)
    {
        int tokens = MoeGate.ValidateInput(input, ModelDim, gate.K, nameof(input));
        using var scope = NewDisposeScope();
        var flat = input.reshape(tokens, ModelDim);
        var plan = gate.call(flat);
        plan.DetachFromDisposeScope();
        _lastPlan?.Dispose();
        _lastPlan = plan;

        var output = zeros_like(flat);
        if (plan.RoutedSlots > 0)
        {
            int[] offsets = plan.GetExpertOffsets();
            var gathered = flat.index_select(0, plan.DispatchTokenIndices);
            var outputs = new List<Tensor>(_experts.Length);
            for (int e = 0; e < _experts.Length; e++)
            {
                int count = offsets[e + 1] - offsets[e];
                if (count > 0)
                {
                    outputs.Add(_experts[e].call(gathered.narrow(0, offsets[e], count)));
                }
            }

            var expertOutput = outputs.Count == 1 ? outputs[0] : cat(outputs, 0);
            var weights = plan.CombineWeights.reshape(-1).index_select(0, plan.DispatchSlotIndices).unsqueeze(1).to(expertOutput.dtype);
            using var one = 1.ToScalar(); // explicit and kept until the call returns (see ScalarSafeAdam)
            output.index_add_(0, plan.DispatchTokenIndices, expertOutput * weights, one);
        }

        return scope.MoveToOuter(output.reshape(input.shape));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lastPlan?.Dispose();
            _lastPlan = null;
            gate.Dispose();
            experts.Dispose();
        }

        base.Dispose(disposing);
    }

    private static nn.Module<Tensor, Tensor>[] CheckedDefaults(MoeGate gate, int modelDim, int hiddenDim, int experts)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentOutOfRangeException.ThrowIfLessThan(modelDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        if (gate.Experts != experts)
        {
            throw new ArgumentException($"The gate routes to {gate.Experts} experts but the layer has {experts}.", nameof(gate));
        }

        if (gate.ModelDim != modelDim)
        {
            throw new ArgumentException($"The gate expects width {gate.ModelDim} but the layer has modelDim = {modelDim}.", nameof(gate));
        }

        return [.. Enumerable.Range(0, experts).Select(_ => new ExpertFeedForward(modelDim, hiddenDim))];
    }

    private static nn.Module<Tensor, Tensor>[] Build(MoeGate gate, Func<int, nn.Module<Tensor, Tensor>> expertFactory)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(expertFactory);
        return [.. Enumerable.Range(0, gate.Experts).Select(expertFactory)];
    }
}
