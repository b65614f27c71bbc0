namespace PhaseRouter;

/// <summary>
/// The routes of one call: for each source, up to <see cref="K"/> target indices, padded with -1 at the end.
/// Random selection stores a source's targets in ascending order; score-ranked selection stores them best first.
/// </summary>
/// <remarks>
/// When the call was given a destination buffer, <see cref="Routes"/> is a view of that buffer: reuse it for the
/// next call only once this result is no longer needed.
/// </remarks>
public sealed class RoutingResult
{
    private readonly Memory<int> _routes;
    private readonly int[] _loads;
    private readonly int[]? _capacities;

    internal RoutingResult(int sources, int targets, int k, Memory<int> routes, int[] loads, int[]? capacities,
        long activeRoutes, long slotsUnfilledByCapacity, TimeSpan elapsed)
    {
        Sources = sources;
        Targets = targets;
        K = k;
        _routes = routes;
        _loads = loads;
        _capacities = capacities;
        ActiveRoutes = activeRoutes;
        SlotsUnfilledByCapacity = slotsUnfilledByCapacity;
        Elapsed = elapsed;
    }

    /// <summary>R, the number of sources.</summary>
    public int Sources { get; }

    /// <summary>C, the number of targets.</summary>
    public int Targets { get; }

    /// <summary>The fan-out bound k: the number of slots per source.</summary>
    public int K { get; }

    /// <summary>All routes, <c>R · K</c> entries, source after source (the original's output format).</summary>
    public ReadOnlySpan<int> Routes => _routes.Span;

    /// <summary>The <see cref="K"/> slots of one source: its targets, then -1 padding.</summary>
    /// <param name="source">Source index in <c>[0, Sources)</c>.</param>
    public ReadOnlySpan<int> RoutesOf(int source)
    {
        if ((uint)source >= (uint)Sources)
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, $"Source must be in [0, {Sources}).");
        }

        return _routes.Span.Slice(source * K, K);
    }

    /// <summary>A copy of <see cref="Routes"/>.</summary>
    public int[] ToArray() => _routes.ToArray();

    /// <summary>Number of filled slots (routes that are not -1).</summary>
    public long ActiveRoutes { get; }

    /// <summary>Number of routes that end at each target (length C).</summary>
    public ReadOnlySpan<int> TargetLoads => _loads;

    /// <summary>The per-target capacities the call enforced, or an empty span when it had none.</summary>
    public ReadOnlySpan<int> TargetCapacities => _capacities;

    /// <summary>Whether the call enforced target capacities.</summary>
    public bool HasCapacities => _capacities is not null;

    /// <summary>Filled share of all slots: <c>ActiveRoutes / (R · K)</c> (1 when there are no slots).</summary>
    public double FillRatio => Sources == 0 ? 1.0 : (double)ActiveRoutes / ((long)Sources * K);

    /// <summary>Slots left at -1, for any reason.</summary>
    public long UnfilledSlots => (long)Sources * K - ActiveRoutes;

    /// <summary>Slots left unfilled because every remaining candidate was full (0 without capacities).</summary>
    public long SlotsUnfilledByCapacity { get; }

    /// <summary>Slots left unfilled because the source had too few candidates (or a lower fan-out limit).</summary>
    public long SlotsUnfilledByCandidates => UnfilledSlots - SlotsUnfilledByCapacity;

    /// <summary>The largest target load.</summary>
    public int MaxLoad => _loads.Length == 0 ? 0 : _loads.Max();

    /// <summary>Wall time of the call, validation and result included.</summary>
    public TimeSpan Elapsed { get; }
}
