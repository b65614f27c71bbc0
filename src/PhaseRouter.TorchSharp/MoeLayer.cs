using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// A mixture-of-experts feed-forward layer: a <see cref="MoeGate"/> routes each token to up to k experts
/// (<see cref="ExpertFeedForward"/>), each expert runs on the tokens it received (gathered with index_select), and the
/// outputs are summed back per token with the combine weights (index_add). A token with no expert gets zeros.
/// Accepts <c>[tokens, modelDim]</c> or <c>[batch, seq, modelDim]</c> and returns the same shape.
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
    private readonly ModuleList<ExpertFeedForward> experts;
    private readonly ExpertFeedForward[] _experts;
    private RoutingPlan? _lastPlan;

    /// <summary>Creates the layer.</summary>
    /// <param name="gate">The gate; its expert count must equal <paramref name="experts"/> and its width <paramref name="modelDim"/>.</param>
    /// <param name="modelDim">Token width (≥ 1).</param>
    /// <param name="hiddenDim">Hidden width of each expert (≥ 1).</param>
    /// <param name="experts">Number of experts (≥ 1).</param>
    /// <exception cref="ArgumentException">The gate does not match the layer, or a size is out of range.</exception>
    public MoeLayer(MoeGate gate, int modelDim, int hiddenDim, int experts) : base(nameof(MoeLayer))
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

        ModelDim = modelDim;
        HiddenDim = hiddenDim;
        this.gate = gate;
        _experts = Enumerable.Range(0, experts).Select(_ => new ExpertFeedForward(modelDim, hiddenDim)).ToArray();
        this.experts = new ModuleList<ExpertFeedForward>(_experts);
        RegisterComponents();
    }

    /// <summary>Token width.</summary>
    public int ModelDim { get; }

    /// <summary>Hidden width of each expert.</summary>
    public int HiddenDim { get; }

    /// <summary>The gate.</summary>
    public MoeGate Gate => gate;

    /// <summary>The experts.</summary>
    public IReadOnlyList<ExpertFeedForward> Experts => _experts;

    /// <summary>
    /// The plan of the most recent forward, or <see langword="null"/> before the first. Owned by the layer: it is
    /// disposed by the next forward and by disposing the layer; read what you need (e.g. add its
    /// <see cref="RoutingPlan.AuxLoss"/> to the loss) before the next forward. Do not dispose it yourself and do not
    /// keep its tensors: after the next forward they throw <see cref="InvalidOperationException"/> (its managed
    /// copies such as <see cref="RoutingPlan.GetExpertLoads"/> stay valid).
    /// </summary>
    public RoutingPlan? LastPlan => _lastPlan;

    /// <summary>Routes the tokens and combines the experts' outputs.</summary>
    /// <param name="input"><c>[tokens, modelDim]</c> or <c>[batch, seq, modelDim]</c>.</param>
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

        // Group the routed slots by expert (counting sort over the managed routes).
        int k = plan.K;
        int[] routes = plan.Routes;
        int[] loads = plan.Loads;
        var offsets = new int[loads.Length + 1];
        for (int e = 0; e < loads.Length; e++)
        {
            offsets[e + 1] = offsets[e] + loads[e];
        }

        int routed = offsets[^1];
        var tokenOf = new long[routed];
        var slotOf = new long[routed];
        var next = (int[])offsets.Clone();
        for (int s = 0; s < routes.Length; s++)
        {
            int e = routes[s];
            if (e >= 0)
            {
                int at = next[e]++;
                tokenOf[at] = s / k;
                slotOf[at] = s;
            }
        }

        var output = zeros_like(flat);
        if (routed > 0)
        {
            var tokenIndex = tensor(tokenOf, ScalarType.Int64, input.device);
            var slotIndex = tensor(slotOf, ScalarType.Int64, input.device);
            var gathered = flat.index_select(0, tokenIndex);
            var outputs = new List<Tensor>(loads.Length);
            for (int e = 0; e < loads.Length; e++)
            {
                if (loads[e] > 0)
                {
                    outputs.Add(_experts[e].call(gathered.narrow(0, offsets[e], loads[e])));
                }
            }

            var expertOutput = outputs.Count == 1 ? outputs[0] : cat(outputs, 0);
            var weights = plan.CombineWeights.reshape(-1).index_select(0, slotIndex).unsqueeze(1).to(expertOutput.dtype);
            using var one = 1.ToScalar(); // explicit and kept until the call returns (see ScalarSafeAdam)
            output.index_add_(0, tokenIndex, expertOutput * weights, one);
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
}
