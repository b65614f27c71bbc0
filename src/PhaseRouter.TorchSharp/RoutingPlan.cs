using PhaseRouter.Gating;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// The dispatch of one batch by a <see cref="MoeGate"/>: for each token up to k experts (filled slots first, then -1
/// padding), their combine weights, per-expert loads (after capacity), per-expert demand (before capacity) and the
/// dispatch grouped by expert (<see cref="ExpertOffsets"/>, <see cref="DispatchTokenIndices"/>,
/// <see cref="DispatchSlotIndices"/>, built once by the gate).
/// </summary>
/// <remarks>
/// Lifetime: the plan owns its tensors (<see cref="ExpertIndices"/>, <see cref="CombineWeights"/>,
/// <see cref="ExpertLoads"/>, <see cref="ExpertDemand"/>, the grouped dispatch and <see cref="AuxLoss"/>). From <see cref="MoeGate"/>'s forward
/// they sit in the caller's dispose scope (or in none); the owner is then whoever owns that scope, or the caller, who
/// must dispose the plan. From <see cref="MoeLayer.LastPlan"/> the layer owns it until its next forward. Disposing
/// invalidates only the tensor members (using one afterwards throws <see cref="InvalidOperationException"/>); the
/// counts, <see cref="ExpertOf"/> and the <c>Get…</c> copies are managed and stay valid for ever, and autograd
/// graphs that used <see cref="CombineWeights"/> or <see cref="AuxLoss"/> keep their own references.
/// </remarks>
public sealed class RoutingPlan : IDisposable
{
    private readonly int[] _routes;
    private readonly int[] _loads;
    private readonly int[] _demand;
    private readonly int[] _choices;
    private readonly int[] _offsets;

    internal RoutingPlan(GateWorkspace routed, Tensor expertIndices, Tensor combineWeights, Tensor expertLoads, Tensor expertDemand,
        Tensor expertOffsets, Tensor dispatchTokenIndices, Tensor dispatchSlotIndices, Tensor auxLoss, double routerMilliseconds, ulong seed)
    {
        _routes = routed.Routes.ToArray();
        _loads = routed.Loads.ToArray();
        _demand = routed.Demand.ToArray();
        _choices = routed.Choices.ToArray();
        _offsets = routed.ExpertOffsets.ToArray();
        if (routed.Pack is { } pack)
        {
            PackedSources = BitMatrix.FromPackedRows(pack.Sources.Rows, pack.Sources.Columns, pack.Sources.Words);
            PackedTargets = BitMatrix.FromPackedRows(pack.Targets.Rows, pack.Targets.Columns, pack.Targets.Words);
        }

        Tokens = routed.Tokens;
        K = routed.K;
        Capacity = routed.Capacity;
        DroppedSlots = routed.DroppedSlots;
        TokensWithoutExpert = routed.TokensWithoutExpert;
        ExpertIndices = expertIndices;
        CombineWeights = combineWeights;
        ExpertLoads = expertLoads;
        ExpertDemand = expertDemand;
        ExpertOffsets = expertOffsets;
        DispatchTokenIndices = dispatchTokenIndices;
        DispatchSlotIndices = dispatchSlotIndices;
        AuxLoss = auxLoss;
        RouterMilliseconds = routerMilliseconds;
        Seed = seed;
    }

    /// <summary>Number of tokens in the batch (a <c>[batch, seq, d]</c> input counts <c>batch · seq</c>).</summary>
    public int Tokens { get; }

    /// <summary>The slots per token of this plan: the gate's k, or E for <see cref="ExpertChoiceGate"/> (a token may get every expert).</summary>
    public int K { get; }

    /// <summary>E, the number of experts.</summary>
    public int Experts => _loads.Length;

    /// <summary><c>[tokens, k]</c> int64 expert indices, filled slots first (best first but where spill placed overflow); -1 marks an empty slot.</summary>
    public Tensor ExpertIndices { get; }

    /// <summary>
    /// <c>[tokens, k]</c> combine weights in the gate's dtype: the gate probability of each chosen expert (0 where the
    /// slot is -1). Differentiable with respect to the gate parameters (constant for <see cref="HashGate"/>).
    /// </summary>
    public Tensor CombineWeights { get; }

    /// <summary><c>[E]</c> int64: how many tokens each expert receives (the counts in <see cref="ExpertIndices"/>).</summary>
    public Tensor ExpertLoads { get; }

    /// <summary>
    /// <c>[E]</c> int64: the uncapped demand, how many tokens name each expert among their k choices <em>before</em>
    /// capacity is applied (the same counts as <see cref="GetExpertDemand"/>). For <see cref="PhaseRouterGate"/>
    /// (every policy, including <see cref="GatePolicy.Oblivious"/>, whose routing ignores the logits) and
    /// <see cref="TopKSoftmaxGate"/> the choices are each token's top-k experts by gate logit, ties to the lower
    /// expert (after jitter, when the softmax gate applies it); for <see cref="HashGate"/> they are its k hash
    /// choices. Each token names k distinct experts, so <c>Σ demand = tokens · k</c> (a token with fewer than k
    /// logits above −∞ names only those). Compare with <see cref="ExpertLoads"/> to see what capacity cut.
    /// </summary>
    public Tensor ExpertDemand { get; }

    /// <summary>
    /// <c>[E + 1]</c> int64: the dispatch grouped by expert. Expert e's routed slots are entries
    /// <c>[ExpertOffsets[e], ExpertOffsets[e + 1])</c> of <see cref="DispatchTokenIndices"/> and
    /// <see cref="DispatchSlotIndices"/> (managed copy: <see cref="GetExpertOffsets"/>).
    /// </summary>
    public Tensor ExpertOffsets { get; }

    /// <summary><c>[routed]</c> int64: the token of each routed slot, grouped by expert, ascending tokens within an expert.</summary>
    public Tensor DispatchTokenIndices { get; }

    /// <summary>
    /// <c>[routed]</c> int64: each routed slot's flat index <c>token · k + slot</c> into <see cref="ExpertIndices"/> and
    /// <see cref="CombineWeights"/>, in the order of <see cref="DispatchTokenIndices"/>.
    /// </summary>
    public Tensor DispatchSlotIndices { get; }

    /// <summary>Routed slots: <c>tokens · k − DroppedSlots</c>, the length of the dispatch index tensors.</summary>
    public int RoutedSlots => Tokens * K - DroppedSlots;

    /// <summary>The per-expert capacity of this batch, <see cref="ExpertCapacity.Of"/>(cf, tokens, k, E); every load is at most this.</summary>
    public int Capacity { get; }

    /// <summary>Slots left empty: <c>tokens · k −</c> routed slots.</summary>
    public int DroppedSlots { get; }

    /// <summary>
    /// Tokens that got no expert at all (every slot -1); the output of <see cref="MoeLayer"/> is zero for them. The
    /// figure to watch for <see cref="ExpertChoiceGate"/>, whose plan is E wide and whose empty slots are not drops.
    /// </summary>
    public int TokensWithoutExpert { get; }

    /// <summary>
    /// The packed S the batch was routed with under <see cref="GatePolicy.Packed"/> (tokens × E: each token's top-m
    /// experts by logit), the plan's own copy for inspection and pictures; <see langword="null"/> under the other policies and gates.
    /// </summary>
    public BitMatrix? PackedSources { get; }

    /// <summary>
    /// The packed T the batch was routed with under <see cref="GatePolicy.Packed"/> (E × tokens: in expert e's row the
    /// tokens that rank e among their top-a experts), the plan's own copy; <see langword="null"/> otherwise.
    /// </summary>
    public BitMatrix? PackedTargets { get; }

    /// <summary>Auxiliary load-balancing loss (a scalar in the gate's dtype; zero for gates that need none).</summary>
    public Tensor AuxLoss { get; }

    /// <summary>
    /// Wall time of the routing decision in milliseconds: from the gate logits to the routes (the logits as a float32
    /// CPU span, the finiteness check and Core's <see cref="GateRouting"/> call, which for every policy includes the
    /// top-k ranking behind <see cref="ExpertDemand"/>), excluding the gate's matrix product, the softmax and building
    /// the plan's tensors.
    /// </summary>
    public double RouterMilliseconds { get; }

    /// <summary>The seed the batch was routed with (<c>BaseSeed + step</c> in training, <c>BaseSeed</c> at inference).</summary>
    public ulong Seed { get; }

    /// <summary>The expert of slot <paramref name="slot"/> of token <paramref name="token"/>, or -1.</summary>
    /// <param name="token">Token index in <c>[0, Tokens)</c>.</param>
    /// <param name="slot">Slot index in <c>[0, K)</c>.</param>
    public int ExpertOf(int token, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(token);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(token, Tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, K);
        return _routes[token * K + slot];
    }

    /// <summary>A managed copy of the routes: <c>tokens · k</c> expert indices, token after token, -1 padded.</summary>
    public int[] GetRoutes() => (int[])_routes.Clone();

    /// <summary>A managed copy of the per-expert loads (length E).</summary>
    public int[] GetExpertLoads() => (int[])_loads.Clone();

    /// <summary>A managed copy of the per-expert uncapped demand (length E; see <see cref="ExpertDemand"/>).</summary>
    public int[] GetExpertDemand() => (int[])_demand.Clone();

    /// <summary>
    /// A managed copy of each token's choices before capacity, in the layout of <see cref="GetRoutes"/>: the k experts
    /// counted in <see cref="ExpertDemand"/> (top-k by the gate's scores, best first; the hash choices for
    /// <see cref="HashGate"/>). A routed slot whose expert is not among its token's choices was placed by the policy
    /// elsewhere (spilled). Empty when the policy has no preference to record (oblivious routing without scores).
    /// </summary>
    public int[] GetChoices() => (int[])_choices.Clone();

    /// <summary>A managed copy of <see cref="ExpertOffsets"/> (length E + 1).</summary>
    public int[] GetExpertOffsets() => (int[])_offsets.Clone();

    /// <summary>The largest expert load.</summary>
    public int MaxLoad => _loads.Length == 0 ? 0 : _loads.Max();

    /// <summary>The largest expert demand (see <see cref="ExpertDemand"/>); can exceed <see cref="Capacity"/>.</summary>
    public int MaxDemand => _demand.Length == 0 ? 0 : _demand.Max();

    internal IDisposable[] Tensors =>
        [ExpertIndices, CombineWeights, ExpertLoads, ExpertDemand, ExpertOffsets, DispatchTokenIndices, DispatchSlotIndices, AuxLoss];

    /// <summary>Detaches the plan's tensors from any dispose scope, for an owner that keeps the plan past the scope (it must dispose it).</summary>
    public void DetachFromDisposeScope()
    {
        foreach (var tensor in Tensors)
        {
            ((Tensor)tensor).DetachFromDisposeScope();
        }
    }

    /// <summary>Disposes the plan's tensors (idempotent). Autograd graphs that use <see cref="CombineWeights"/> stay valid.</summary>
    public void Dispose()
    {
        ExpertIndices.Dispose();
        CombineWeights.Dispose();
        ExpertLoads.Dispose();
        ExpertDemand.Dispose();
        ExpertOffsets.Dispose();
        DispatchTokenIndices.Dispose();
        DispatchSlotIndices.Dispose();
        AuxLoss.Dispose();
    }
}
