using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using PhaseRouter.Gating;
using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// Base of every mixture-of-experts gate: a module whose forward takes <c>[tokens, modelDim]</c> (or
/// <c>[batch, seq, modelDim]</c>, flattened to <c>batch · seq</c> tokens) and returns a capacity-bounded
/// <see cref="RoutingPlan"/>. The routing itself is Core's <see cref="GateRouting"/> on the logits copied to a span
/// once; the gate only turns tensors into spans and the result back into tensors. The plan's tensors are moved to
/// the caller's dispose scope (or detached from any when there is none); the gate records every batch in its
/// <see cref="Monitor"/> and advances <see cref="Step"/> after each training batch.
/// </summary>
/// <remarks>
/// <para>
/// Lifetime: the gate owns its parameters, its step buffer and its balance bias buffer when it has one (disposed with it, or with the <see cref="MoeLayer"/>
/// that holds it) and its routing workspaces (managed, never exposed). The <see cref="RoutingPlan"/> a forward returns
/// belongs to the caller: its tensors are moved into the caller's dispose scope and die with it, or, when the caller
/// has none, live until <see cref="RoutingPlan.Dispose"/>. Every temporary of a forward lives in the forward's own
/// dispose scope; scalars are made explicitly and disposed after the native call that reads them (implicit ones can
/// be finalized during that call, see <see cref="ScalarSafeAdam"/>).
/// </para><para>
/// Thread safety: a gate may be called from several threads at once and every call routes correctly. Each call
/// routes in a workspace of its own (a spare one is reused when free), reads and advances <see cref="Step"/>
/// atomically (concurrent training calls get distinct steps, hence distinct seeds, in the order they reach the
/// counter) and records into the monitor under a lock. Which step a concurrent training call gets is up to the
/// scheduler; for reproducible training, call a gate from one thread at a time.
/// </para>
/// </remarks>
public abstract class MoeGate : nn.Module<Tensor, RoutingPlan>
{
    /// <summary>The name of the int64 buffer that holds <see cref="Step"/> in the state dict.</summary>
    public const string StepBufferName = "step";

    /// <summary>The name of the float32 <c>[E]</c> buffer that holds the loss-free balancing bias (see <see cref="MoeGateOptions.LossFreeBalancing"/>).</summary>
    public const string BalanceBiasBufferName = "balance_bias";

    private readonly Lock _stepLock = new();
    private readonly Lock _biasLock = new();
    private bool _balanceBias;
    private GateWorkspace? _spareWorkspace;
    private int _maxDegreeOfParallelism = -1;

    /// <summary>Validates the options and the model width; registers the <see cref="Step"/> buffer.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="modelDim">Width of a token (≥ 1).</param>
    /// <param name="options">Gate settings; validated and copied here (see <see cref="MoeGateOptions.ValidatedCopy"/>).</param>
    protected MoeGate(string name, int modelDim, MoeGateOptions options) : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(modelDim, 1);
        Options = options.ValidatedCopy();
        ModelDim = modelDim;
        register_buffer(StepBufferName, zeros(Array.Empty<long>(), ScalarType.Int64));
    }

    /// <summary>Width of a token.</summary>
    public int ModelDim { get; }

    /// <summary>The gate's settings (its own validated copy).</summary>
    public MoeGateOptions Options { get; }

    /// <summary>E, the number of experts.</summary>
    public int Experts => Options.Experts;

    /// <summary>k, the slots per token.</summary>
    public int K => Options.K;

    /// <summary>Per-batch loads, capacities and drops of every batch this gate routed.</summary>
    public GateLoadMonitor Monitor { get; } = new();

    /// <summary>
    /// Training batches routed so far; the training seed of the next batch is <c>BaseSeed + Step</c>. Kept in the
    /// int64 buffer <see cref="StepBufferName"/>, so it is saved and loaded with the state dict. Settable to resume a run.
    /// </summary>
    public long Step
    {
        get
        {
            lock (_stepLock)
            {
                return StepBuffer.item<long>();
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_stepLock)
            {
                using var noGrad = no_grad();
                using var stepValue = value.ToScalar(); // explicit and kept until the call returns (see ScalarSafeAdam)
                StepBuffer.fill_(stepValue);
            }
        }
    }

    /// <summary>The seed the next batch will be routed with: <c>BaseSeed + Step</c> in training, <c>BaseSeed</c> at inference.</summary>
    public ulong CurrentSeed => SeedOf(Step);

    /// <summary>Threads the Core router may use (-1, the default, means every core). Routes never depend on it.</summary>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            if (value is 0 or < -1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxDegreeOfParallelism must be -1 (every core) or at least 1.");
            }

            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>Whether this gate balances with a loss-free bias (registered by the gate when its options ask for it).</summary>
    public bool HasBalanceBias => _balanceBias;

    /// <summary>
    /// A managed copy of the loss-free balancing bias (length E), or an empty array when the gate has none. The bias
    /// lives in the buffer <see cref="BalanceBiasBufferName"/>: load a state dict to restore it.
    /// </summary>
    public float[] GetBalanceBias()
    {
        if (!_balanceBias)
        {
            return [];
        }

        lock (_biasLock)
        {
            using var host = BalanceBiasBuffer.detach().to(ScalarType.Float32, CPU).contiguous();
            return host.data<float>().ToArray();
        }
    }

    /// <summary>The parameter whose dtype the input must have, or <see langword="null"/> for a gate without parameters.</summary>
    protected virtual Tensor? DtypeReference => null;

    private Tensor StepBuffer => get_buffer(StepBufferName) ?? throw new InvalidOperationException("The gate's step buffer is missing.");

    private Tensor BalanceBiasBuffer =>
        get_buffer(BalanceBiasBufferName) ?? throw new InvalidOperationException("The gate's balance bias buffer is missing.");

    /// <summary>Routes a batch of tokens.</summary>
    /// <param name="x"><c>[tokens, modelDim]</c> or <c>[batch, seq, modelDim]</c>, floating point, of the gate's dtype.</param>
    /// <returns>The batch's plan, with <c>batch · seq</c> tokens for a rank-3 input.</returns>
    /// <exception cref="ArgumentException">
    /// The input has the wrong rank, width or dtype, or its logits are not finite (the message names the token and the expert).
    /// </exception>
    public sealed override RoutingPlan forward(Tensor x)
    {
        int tokens = ValidateInput(x, ModelDim, K, nameof(x));
        if (DtypeReference is { } reference && reference.dtype != x.dtype)
        {
            throw new ArgumentException(
                $"The input is {x.dtype} but the gate's parameters are {reference.dtype}; convert the input with x.to(ScalarType.{reference.dtype}) " +
                $"or the gate (or the whole model) with .to(ScalarType.{x.dtype}).", nameof(x));
        }

        int capacity = Options.CapacityFor(tokens);
        bool advances = training;
        long step = TakeStep(advances);
        ulong seed = SeedOf(step);
        GateWorkspace workspace = Interlocked.Exchange(ref _spareWorkspace, null) ?? new GateWorkspace();
        workspace.MaxDegreeOfParallelism = MaxDegreeOfParallelism;
        RoutingPlan plan;
        try
        {
            using var scope = NewDisposeScope();
            plan = Route(x.reshape(tokens, ModelDim), capacity, seed, workspace);
            scope.MoveToOuter(plan.Tensors);
        }
        catch
        {
            GiveBackStep(advances, step);
            throw;
        }

        Interlocked.Exchange(ref _spareWorkspace, workspace);
        Monitor.Record(step, training, plan);
        return plan;
    }

    /// <summary>
    /// Routes <paramref name="tokens"/> under <paramref name="capacity"/> with Core's <see cref="GateRouting"/> into
    /// <paramref name="workspace"/> (this call's own), then builds the plan with <see cref="CreatePlan"/>.
    /// </summary>
    /// <param name="tokens"><c>[tokens, modelDim]</c> input, already validated.</param>
    /// <param name="capacity">Per-expert capacity of the batch.</param>
    /// <param name="seed">The batch seed.</param>
    /// <param name="workspace">This call's workspace.</param>
    protected abstract RoutingPlan Route(Tensor tokens, int capacity, ulong seed, GateWorkspace workspace);

    /// <summary>
    /// The logits as a row-major span for Core, with one copy at most: converted to float32 on the CPU when they are
    /// not already (a float32 CPU tensor is read in place). The span views <paramref name="host"/>, which must stay
    /// alive (in the current dispose scope) while the span is used. Finiteness is checked by Core, once.
    /// </summary>
    /// <param name="logits"><c>[tokens, E]</c> logits of any floating dtype and device.</param>
    /// <param name="host">Receives the float32 CPU tensor the span views.</param>
    protected static ReadOnlySpan<float> ScoresOf(Tensor logits, out Tensor host)
    {
        ArgumentNullException.ThrowIfNull(logits);
        host = logits.detach().to(ScalarType.Float32, CPU).contiguous();
        return host.numel() == 0 ? [] : MemoryMarshal.Cast<byte, float>(host.bytes);
    }

    /// <summary>Builds a plan from the workspace's result; tensors are created on <paramref name="probabilities"/>' device.</summary>
    /// <param name="workspace">The routed batch.</param>
    /// <param name="probabilities"><c>[tokens, E]</c> gate probabilities; the combine weights gather them (differentiably).</param>
    /// <param name="auxLoss">Auxiliary loss, or <see langword="null"/> for a zero scalar.</param>
    /// <param name="routerMilliseconds">Time from the logits to the routes (see <see cref="RoutingPlan.RouterMilliseconds"/>).</param>
    /// <param name="seed">The batch seed.</param>
    protected RoutingPlan CreatePlan(GateWorkspace workspace, Tensor probabilities, Tensor? auxLoss, double routerMilliseconds, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(probabilities);
        int tokens = workspace.Tokens;
        var device = probabilities.device;
        // The plan is as wide as the routed batch: k slots, or E for expert choice.
        var expertIndices = Int64Tensor(workspace.Routes, [tokens, workspace.K], device);
        // Explicit scalars, disposed after the calls that read them (see ScalarSafeAdam for why not implicit ones).
        using var noExpert = 0.ToScalar();
        using var zeroWeight = 0.0.ToScalar();
        var combine = probabilities.gather(1, expertIndices.clamp_min(noExpert)).masked_fill(expertIndices.lt(noExpert), zeroWeight);
        var expertLoads = Int64Tensor(workspace.Loads, [Experts], device);
        var expertDemand = Int64Tensor(workspace.Demand, [Experts], device);
        var offsets = Int64Tensor(workspace.ExpertOffsets, [Experts + 1], device);
        var dispatchTokens = Int64Tensor(workspace.DispatchTokens, [workspace.RoutedSlots], device);
        var dispatchSlots = Int64Tensor(workspace.DispatchSlots, [workspace.RoutedSlots], device);
        var aux = auxLoss ?? zeros(Array.Empty<long>(), probabilities.dtype, device);
        return new RoutingPlan(workspace, expertIndices, combine, expertLoads, expertDemand, offsets, dispatchTokens, dispatchSlots, aux,
            routerMilliseconds, seed);
    }

    /// <summary>
    /// Registers the loss-free balancing bias buffer (<see cref="BalanceBiasBufferName"/>, float32 zeros <c>[E]</c>) when
    /// <see cref="MoeGateOptions.LossFreeBalancing"/> is on; gates that support it call this from their constructor,
    /// before <c>RegisterComponents()</c>.
    /// </summary>
    protected void RegisterBalanceBias()
    {
        if (Options.LossFreeBalancing && !_balanceBias)
        {
            register_buffer(BalanceBiasBufferName, zeros(Experts, ScalarType.Float32));
            _balanceBias = true;
        }
    }

    /// <summary>
    /// The scores to select with: <paramref name="scores"/> itself without a balance bias, else
    /// <c>scores + bias</c> (Core's <see cref="GateRouting.AddBias"/>) in an array rented from the shared pool, which
    /// the caller returns with <see cref="ReturnSelectionScores"/>.
    /// </summary>
    /// <param name="scores">The row-major <c>[tokens, E]</c> logits.</param>
    /// <param name="rented">The rented array, or <see langword="null"/> when none was needed.</param>
    protected ReadOnlySpan<float> SelectionScores(ReadOnlySpan<float> scores, out float[]? rented)
    {
        rented = null;
        if (!_balanceBias)
        {
            return scores;
        }

        float[] bias = GetBalanceBias();
        rented = ArrayPool<float>.Shared.Rent(Math.Max(1, scores.Length));
        Span<float> biased = rented.AsSpan(0, scores.Length);
        GateRouting.AddBias(scores, bias, biased);
        return biased;
    }

    /// <summary>Gives back an array from <see cref="SelectionScores"/>.</summary>
    /// <param name="rented">The array, or <see langword="null"/>.</param>
    protected static void ReturnSelectionScores(float[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// In training mode, one loss-free bias update from this batch: <c>b_e += u · sign(mean − load_e)</c> (Core's
    /// <see cref="GateRouting.UpdateBalanceBias"/>) with the counts of the biased top-k choices before capacity
    /// (<see cref="GateWorkspace.Demand"/>), written into the buffer under no_grad. With one forward per optimiser
    /// step this is DeepSeek-V3's update after each step. Does nothing in eval mode or without a bias.
    /// </summary>
    /// <param name="workspace">The batch routed with <see cref="SelectionScores"/>.</param>
    protected void UpdateBalanceBias(GateWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!_balanceBias || !training || workspace.Tokens == 0)
        {
            return;
        }

        lock (_biasLock)
        {
            Tensor buffer = BalanceBiasBuffer;
            float[] bias;
            using (var host = buffer.detach().to(ScalarType.Float32, CPU).contiguous())
            {
                bias = host.data<float>().ToArray();
            }

            GateRouting.UpdateBalanceBias(bias, workspace.Demand, (float)Options.BiasUpdateRate);
            using var noGrad = no_grad();
            using var updated = tensor(bias, [Experts], ScalarType.Float32, CPU);
            buffer.copy_(updated);
        }
    }

    /// <summary>Times Core's routing of one batch (see <see cref="RoutingPlan.RouterMilliseconds"/>).</summary>
    protected static long StartTiming() => Stopwatch.GetTimestamp();

    /// <summary>Milliseconds since <paramref name="start"/>.</summary>
    /// <param name="start">A <see cref="StartTiming"/> value.</param>
    protected static double ElapsedMilliseconds(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

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

    /// <summary>An int64 tensor of <paramref name="shape"/> from int32 values: one copy into a CPU int32 tensor, widened by torch.</summary>
    private static Tensor Int64Tensor(ReadOnlySpan<int> values, long[] shape, Device device)
    {
        using var host = empty(shape, ScalarType.Int32, CPU);
        if (!values.IsEmpty)
        {
            MemoryMarshal.AsBytes(values).CopyTo(host.bytes);
        }

        return host.to(ScalarType.Int64, device);
    }

    /// <summary>The step this call routes with; a training call advances the counter in the same critical section.</summary>
    private long TakeStep(bool advance)
    {
        lock (_stepLock)
        {
            Tensor buffer = StepBuffer;
            long step = buffer.item<long>();
            if (advance)
            {
                using var noGrad = no_grad();
                using var next = (step + 1).ToScalar(); // explicit and kept until the call returns (see ScalarSafeAdam)
                buffer.fill_(next);
            }

            return step;
        }
    }

    /// <summary>Undoes <see cref="TakeStep"/> for a batch that failed, unless another call has advanced the counter since.</summary>
    private void GiveBackStep(bool advanced, long step)
    {
        if (!advanced)
        {
            return;
        }

        lock (_stepLock)
        {
            Tensor buffer = StepBuffer;
            if (buffer.item<long>() == step + 1)
            {
                using var noGrad = no_grad();
                using var previous = step.ToScalar(); // explicit and kept until the call returns (see ScalarSafeAdam)
                buffer.fill_(previous);
            }
        }
    }

    private ulong SeedOf(long step) => training ? unchecked(Options.BaseSeed + (ulong)step) : Options.BaseSeed;
}
