namespace PhaseRouter.Gating;

/// <summary>
/// The buffers and the result of <see cref="GateRouting"/>: a caller keeps one workspace and routes batch after
/// batch through it without per-batch large allocations (the buffers grow to the largest batch and stay). Each
/// routing call overwrites the previous result; the spans it exposes are views valid until the next call. Not
/// thread-safe: use one workspace per thread (or per concurrent call).
/// </summary>
public sealed class GateWorkspace
{
    private int[] _routes = [];
    private int[] _choices = [];
    private int[] _loads = [];
    private int[] _demand = [];
    private int[] _offsets = [];
    private int[] _dispatchTokens = [];
    private int[] _dispatchSlots = [];
    private bool _grouped;
    private int _maxDegreeOfParallelism = -1;
    private AffinityPack? _pack;
    private bool _packed;

    internal float[] BestScores = [];
    internal uint[] Keys = [];
    internal int[] Order = [];
    internal int[] OrderScratch = [];
    internal int[] Need = [];
    internal int[] Degrees = [];
    internal float[] Scores = [];
    internal int[] Candidates = [];
    internal int[] TopChoices = []; // expert choice: each token's top-k, before they are spread over its E-wide choice row
    internal ulong[] ColumnKeys = [];
    internal BalancedAssignment? Balanced;

    // Spill's operator pass (OverflowTransport): its rows, their places on the ring, the owners of the unrolled
    // target line, the top lists, keys and serving order.
    internal int[] OverflowTokens = [];
    internal int[] OverflowPositions = [];
    internal int[] LineOwners = [];
    internal int[] OverflowPreferred = [];
    internal uint[] OverflowKeys = [];
    internal int[] OverflowOrder = [];
    internal int[] OverflowScratch = [];

    /// <summary>
    /// Threads the operator passes of Menu, Oblivious and Packed may use: -1 (the default) for every core, else at least
    /// 1. Routes never depend on it. Spill runs on the calling thread: its whole batch costs less than handing work to
    /// another thread would save.
    /// </summary>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            ArgumentChecks.Parallelism(value, nameof(value));
            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>Tokens of the last routed batch.</summary>
    public int Tokens { get; private set; }

    /// <summary>E of the last routed batch.</summary>
    public int Experts { get; private set; }

    /// <summary>k of the last routed batch.</summary>
    public int K { get; private set; }

    /// <summary>The per-expert capacity the last batch was routed under (<c>int.MaxValue</c> for the uncapped <see cref="GateRouting.TopK"/>).</summary>
    public int Capacity { get; private set; }

    /// <summary><c>tokens · k</c> expert indices after capacity, token after token: each token's filled slots first, then -1.</summary>
    public ReadOnlySpan<int> Routes => _routes.AsSpan(0, Tokens * K);

    /// <summary>
    /// <c>tokens · k</c> expert indices before capacity, in the layout of <see cref="Routes"/>: each token's k preferred
    /// experts (top-k by score, best first, ties to the lower expert; the hash choices for <see cref="GateRouting.Hash"/>).
    /// Empty after <see cref="GateRouting.Oblivious"/> without scores.
    /// </summary>
    public ReadOnlySpan<int> Choices => _choices.AsSpan(0, HasChoices ? Tokens * K : 0);

    /// <summary>Tokens routed to each expert (length E).</summary>
    public ReadOnlySpan<int> Loads => _loads.AsSpan(0, Experts);

    /// <summary>
    /// Each expert's count among the <see cref="Choices"/> (length E): the uncapped demand. Equal to
    /// <see cref="Loads"/> after <see cref="GateRouting.Oblivious"/> without scores (there is no preference to count).
    /// </summary>
    public ReadOnlySpan<int> Demand => _demand.AsSpan(0, Experts);

    /// <summary>Slots left empty: <c>tokens · k</c> minus the routed slots.</summary>
    public int DroppedSlots { get; private set; }

    /// <summary>Routed slots: <c>tokens · k − DroppedSlots</c>.</summary>
    public int RoutedSlots => Tokens * K - DroppedSlots;

    /// <summary>Tokens of the last batch that got no expert at all (their every slot is -1); counted on each read.</summary>
    public int TokensWithoutExpert
    {
        get
        {
            int count = 0;
            ReadOnlySpan<int> routes = Routes;
            for (int t = 0; t < Tokens; t++)
            {
                count += routes[t * K] < 0 ? 1 : 0; // filled slots come first
            }

            return count;
        }
    }

    private bool HasChoices { get; set; }

    /// <summary>
    /// The packed S and T the last batch was routed with, after <see cref="GateRouting.Packed"/>; <see langword="null"/>
    /// after any other policy. A view valid until the next routing call.
    /// </summary>
    public AffinityPack? Pack => _packed ? _pack : null;

    /// <summary>The packing buffers, created on first use and kept.</summary>
    internal AffinityPack PackBuffer => _pack ??= new AffinityPack();

    /// <summary>
    /// The dispatch grouped by expert, length E + 1: expert e's routed slots are entries
    /// <c>[ExpertOffsets[e], ExpertOffsets[e + 1])</c> of <see cref="DispatchTokens"/> and <see cref="DispatchSlots"/>.
    /// </summary>
    public ReadOnlySpan<int> ExpertOffsets
    {
        get
        {
            Group();
            return _offsets.AsSpan(0, Experts + 1);
        }
    }

    /// <summary>The token of each routed slot, grouped by expert (ascending token within an expert); length <see cref="RoutedSlots"/>.</summary>
    public ReadOnlySpan<int> DispatchTokens
    {
        get
        {
            Group();
            return _dispatchTokens.AsSpan(0, RoutedSlots);
        }
    }

    /// <summary>The flat slot index <c>token · k + j</c> of each routed slot, in the order of <see cref="DispatchTokens"/>.</summary>
    public ReadOnlySpan<int> DispatchSlots
    {
        get
        {
            Group();
            return _dispatchSlots.AsSpan(0, RoutedSlots);
        }
    }

    /// <summary>Sizes the buffers for a batch and clears the result (routes -1, loads and demand 0).</summary>
    internal void Begin(int tokens, int experts, int k, int capacity)
    {
        int slots = tokens * k;
        Tokens = tokens;
        Experts = experts;
        K = k;
        Capacity = capacity;
        DroppedSlots = 0;
        HasChoices = true;
        _grouped = false;
        _packed = false;
        Ensure(ref _routes, slots).AsSpan(0, slots).Fill(-1);
        Ensure(ref _choices, slots);
        Ensure(ref _loads, experts).AsSpan(0, experts).Clear();
        Ensure(ref _demand, experts).AsSpan(0, experts).Clear();
    }

    /// <summary>Marks the batch as routed from <see cref="PackBuffer"/> (after <see cref="Begin"/>).</summary>
    internal void MarkPacked() => _packed = true;

    internal Span<int> RouteBuffer => _routes.AsSpan(0, Tokens * K);

    internal int[] RouteArray => _routes;

    internal Span<int> ChoiceBuffer => _choices.AsSpan(0, Tokens * K);

    internal Span<int> LoadBuffer => _loads.AsSpan(0, Experts);

    /// <summary>Counts the loads from the routes and the demand from the choices (or copies the loads when there are none).</summary>
    internal void Finish(bool hasChoices)
    {
        HasChoices = hasChoices;
        Span<int> loads = _loads.AsSpan(0, Experts);
        loads.Clear();
        int routed = 0;
        foreach (int e in Routes)
        {
            if (e >= 0)
            {
                loads[e]++;
                routed++;
            }
        }

        DroppedSlots = Tokens * K - routed;
        Span<int> demand = _demand.AsSpan(0, Experts);
        if (!hasChoices)
        {
            loads.CopyTo(demand);
            return;
        }

        demand.Clear();
        foreach (int e in Choices)
        {
            if (e >= 0)
            {
                demand[e]++;
            }
        }
    }

    /// <summary>A counting sort of the routed slots by expert, once per batch.</summary>
    private void Group()
    {
        if (_grouped)
        {
            return;
        }

        int experts = Experts;
        int[] offsets = Ensure(ref _offsets, experts + 1);
        offsets[0] = 0;
        for (int e = 0; e < experts; e++)
        {
            offsets[e + 1] = offsets[e] + _loads[e];
        }

        int routed = offsets[experts];
        int[] tokens = Ensure(ref _dispatchTokens, routed);
        int[] slots = Ensure(ref _dispatchSlots, routed);
        Span<int> next = experts <= 256 ? stackalloc int[experts] : new int[experts];
        offsets.AsSpan(0, experts).CopyTo(next);
        ReadOnlySpan<int> routes = Routes;
        for (int s = 0; s < routes.Length; s++)
        {
            int e = routes[s];
            if (e >= 0)
            {
                int at = next[e]++;
                tokens[at] = s / K;
                slots[at] = s;
            }
        }

        _grouped = true;
    }

    internal static T[] Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<T>(length);
        }

        return buffer;
    }
}
