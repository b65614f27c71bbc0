using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// Base of every mixture-of-experts gate: a module whose forward takes <c>[tokens, modelDim]</c> (or
/// <c>[batch, seq, modelDim]</c>, flattened to <c>batch · seq</c> tokens) and returns a capacity-bounded
/// <see cref="RoutingPlan"/>. The plan's tensors are moved to the caller's dispose scope (or detached from any when
/// there is none); the gate records every batch in its <see cref="Monitor"/> and advances <see cref="Step"/> after
/// each training batch.
/// </summary>
/// <remarks>
/// Lifetime: the gate owns its parameters (disposed with it, or with the <see cref="MoeLayer"/> that holds it) and
/// managed buffers reused from batch to batch (never exposed). The <see cref="RoutingPlan"/> a forward returns
/// belongs to the caller: its tensors are moved into the caller's dispose scope and die with it, or, when the caller
/// has none, live until <see cref="RoutingPlan.Dispose"/>. Every temporary of a forward lives in the forward's own
/// dispose scope; scalars are made explicitly and disposed after the native call that reads them (implicit ones can
/// be finalized during that call, see <see cref="ScalarSafeAdam"/>). Not thread-safe: one forward at a time.
/// </remarks>
public abstract class MoeGate : nn.Module<Tensor, RoutingPlan>
{
    /// <summary>Validates the options and the model width.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="modelDim">Width of a token (≥ 1).</param>
    /// <param name="options">Gate settings; validated here.</param>
    protected MoeGate(string name, int modelDim, PhaseGateOptions options) : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(modelDim, 1);
        options.Validate();
        ModelDim = modelDim;
        Options = options;
    }

    private float[]? _logits;

    /// <summary>Width of a token.</summary>
    public int ModelDim { get; }

    /// <summary>The gate's settings.</summary>
    public PhaseGateOptions Options { get; }

    /// <summary>E, the number of experts.</summary>
    public int Experts => Options.Experts;

    /// <summary>k, the slots per token.</summary>
    public int K => Options.K;

    /// <summary>Per-batch loads, capacities and drops of every batch this gate routed.</summary>
    public GateLoadMonitor Monitor { get; } = new();

    /// <summary>Training batches routed so far; the training seed of the next batch is <c>BaseSeed + Step</c>. Settable to resume a run.</summary>
    public long Step { get; set; }

    /// <summary>The seed the next batch will be routed with: <c>BaseSeed + Step</c> in training, <c>BaseSeed</c> at inference.</summary>
    public ulong CurrentSeed => training ? unchecked(Options.BaseSeed + (ulong)Step) : Options.BaseSeed;

    /// <summary>Routes a batch of tokens.</summary>
    /// <param name="x"><c>[tokens, modelDim]</c> or <c>[batch, seq, modelDim]</c>, floating point.</param>
    /// <returns>The batch's plan, with <c>batch · seq</c> tokens for a rank-3 input.</returns>
    /// <exception cref="ArgumentException">The input has the wrong rank, width or dtype.</exception>
    public sealed override RoutingPlan forward(Tensor x)
    {
        int tokens = ValidateInput(x, ModelDim, K, nameof(x));
        using var scope = NewDisposeScope();
        var flat = x.reshape(tokens, ModelDim);
        int capacity = Options.CapacityFor(tokens);
        ulong seed = CurrentSeed;
        var plan = Route(flat, capacity, seed);
        scope.MoveToOuter(plan.Tensors);
        Monitor.Record(Step, training, plan);
        if (training)
        {
            Step++;
        }

        return plan;
    }

    /// <summary>Routes <paramref name="tokens"/> under <paramref name="capacity"/>; build the result with <see cref="CreatePlan"/>.</summary>
    /// <param name="tokens"><c>[tokens, modelDim]</c> input, already validated.</param>
    /// <param name="capacity">Per-expert capacity of the batch.</param>
    /// <param name="seed">The batch seed.</param>
    protected abstract RoutingPlan Route(Tensor tokens, int capacity, ulong seed);

    /// <summary>Builds a plan from managed routes and uncapped choices; tensors are created on <paramref name="probabilities"/>' device.</summary>
    /// <param name="routes"><c>tokens · k</c> expert indices after capacity, token after token, -1 padded; the plan keeps the array.</param>
    /// <param name="choices">
    /// <c>tokens · k</c> expert indices before capacity, in the layout of <paramref name="routes"/>: each token's k
    /// preferred experts (distinct; -1 for a slot the gate could not fill). Their per-expert counts are the plan's
    /// <see cref="RoutingPlan.ExpertDemand"/>; the array is not kept.
    /// </param>
    /// <param name="capacity">The batch's per-expert capacity.</param>
    /// <param name="probabilities"><c>[tokens, E]</c> gate probabilities; the combine weights gather them (differentiably).</param>
    /// <param name="auxLoss">Auxiliary loss, or <see langword="null"/> for a zero scalar.</param>
    /// <param name="routerMilliseconds">Time from the logits to the managed routes (see <see cref="RoutingPlan.RouterMilliseconds"/>).</param>
    /// <param name="seed">The batch seed.</param>
    /// <exception cref="ArgumentException"><paramref name="choices"/> and <paramref name="routes"/> differ in length, or an index is out of range.</exception>
    protected RoutingPlan CreatePlan(int[] routes, int[] choices, int capacity, Tensor probabilities, Tensor? auxLoss, double routerMilliseconds, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (choices.Length != routes.Length)
        {
            throw new ArgumentException(
                $"The choices must have the routes' length tokens · k = {routes.Length}; got {choices.Length}.", nameof(choices));
        }

        int tokens = routes.Length / K;
        int[] loads = new int[Experts];
        foreach (int e in routes)
        {
            if (e >= 0)
            {
                loads[e]++;
            }
        }

        int[] demand = GateRouting.CountChoices(choices, Experts);

        var device = probabilities.device;
        // Widened to int64 by torch, not through a managed long[] (a large-object-heap array per batch).
        var expertIndices = tensor(routes, [tokens, K], ScalarType.Int32, device).to(ScalarType.Int64);

        // Explicit scalars, disposed after the calls that read them (see ScalarSafeAdam for why not implicit ones).
        using var noExpert = 0.ToScalar();
        using var zeroWeight = 0.0.ToScalar();
        var combine = probabilities.gather(1, expertIndices.clamp_min(noExpert)).masked_fill(expertIndices.lt(noExpert), zeroWeight);
        var expertLoads = tensor(Array.ConvertAll(loads, l => (long)l), [Experts], ScalarType.Int64, device);
        var expertDemand = tensor(Array.ConvertAll(demand, d => (long)d), [Experts], ScalarType.Int64, device);
        var aux = auxLoss ?? zeros(Array.Empty<long>(), probabilities.dtype, device);
        return new RoutingPlan(routes, loads, demand, tokens, K, capacity, expertIndices, combine, expertLoads, expertDemand, aux,
            routerMilliseconds, seed);
    }

    /// <summary>
    /// Copies a <c>[tokens, E]</c> tensor to a row-major managed array in one block copy. The array is the gate's own
    /// and is reused by the next batch of the same size (a fresh multi-megabyte array per batch would land on the
    /// large-object heap and cost a full garbage collection about every batch); use it only within one routing call.
    /// </summary>
    /// <param name="values">The tensor (any floating dtype, any device).</param>
    /// <exception cref="InvalidOperationException">The tensor holds NaN.</exception>
    protected float[] ToManaged(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var scope = NewDisposeScope();
        var cpu = values.detach().to(ScalarType.Float32, CPU).contiguous();
        long length = cpu.numel();
        if (_logits is null || _logits.Length != length)
        {
            _logits = GC.AllocateUninitializedArray<float>(checked((int)length));
        }

        MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(_logits);
        int nan = Kernels.FloatScan.IndexOfNaN(_logits);
        if (nan >= 0)
        {
            throw new InvalidOperationException(
                $"The gate logits contain NaN (token {nan / Experts}, expert {nan % Experts}); the model has diverged.");
        }

        return _logits;
    }

    internal static int ValidateInput(Tensor x, int modelDim, int k, string paramName)
    {
        ArgumentNullException.ThrowIfNull(x, paramName);
        long[] shape = x.shape;
        if (shape.Length is not (2 or 3))
        {
            throw new ArgumentException(
                $"The input must be [tokens, {modelDim}] or [batch, seq, {modelDim}]; got rank {shape.Length} [{string.Join(", ", shape)}].", paramName);
        }

        if (shape[^1] != modelDim)
        {
            throw new ArgumentException(
                $"The input's last dimension must be modelDim = {modelDim}; got [{string.Join(", ", shape)}].", paramName);
        }

        if (!is_floating_point(x))
        {
            throw new ArgumentException($"The input must be floating point; got {x.dtype}.", paramName);
        }

        long tokens = x.numel() / modelDim;
        if (tokens * k > Array.MaxLength)
        {
            throw new ArgumentException($"The batch has too many tokens ({tokens}) for k = {k}.", paramName);
        }

        return (int)tokens;
    }
}
