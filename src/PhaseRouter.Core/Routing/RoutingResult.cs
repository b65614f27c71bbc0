namespace PhaseRouter;

/// <summary>
/// The routes of one call, stored compactly (CSR): source <c>r</c>'s chosen targets are
/// <c>RouteTargets[RouteOffsets[r] .. RouteOffsets[r + 1])</c>. Random selection stores a source's targets in
/// ascending order; score-ranked selection stores them best first. The original's padded <c>R × K</c> layout
/// (targets, then -1) is a view produced on request: <see cref="Routes"/>, <see cref="CopyTo"/>, <see cref="ToArray"/>.
/// </summary>
/// <remarks>
/// <para>At the original's sizes fewer than 3 % of the padded slots hold a route, so the compact form is what the
/// router writes, and what <see cref="RoutesOf"/>, <see cref="TargetLoads"/> and the statistics read.</para>
/// <para>A result of a call without a destination (the default allocating call) holds its compact routes in segments of
/// whole rows, each array below the large-object-heap threshold (85,000 bytes; a single row of more than 16,384 routes
/// gets a segment of its own): a fresh large-object array per call costs page faults and gen-2 collections, several
/// times the routing itself at the original's sizes. <see cref="RoutesOf"/>, <see cref="CopyTo"/>, <see cref="Routes"/>
/// and the statistics read the segments directly; <see cref="RouteOffsets"/> and <see cref="RouteTargets"/>, which are
/// contiguous spans, are built from them on first request and then cached (published once: threads may read a result
/// at the same time).</para>
/// <para>When the call was given a destination (a padded buffer or a <see cref="RouteBuffers"/>), the result is a view
/// of it: reuse the destination for the next call only once this result is no longer needed.</para>
/// <para>A result of a sharded call (<see cref="Router.RouteShard(int, int, ReadOnlySpan{int}, long, ReadOnlySpan{int}, int, RouterOptions?)"/>)
/// holds the sources <c>[FirstSource, FirstSource + Sources)</c>; row <c>r</c> of it is source <c>FirstSource + r</c>.</para>
/// </remarks>
public sealed class RoutingResult
{
    private ReadOnlyMemory<int> _offsets;
    private ReadOnlyMemory<int> _targets;
    private Engine.RouteSegments? _segments;
    private Memory<int> _padded;

    /// <summary>
    /// The contiguous form of a segmented or padded result, <c>[offsets, targets]</c>, built on first request. One
    /// reference published once, so that threads reading a result at the same time see both arrays or neither.
    /// </summary>
    private int[][]? _flattened;

    /// <summary>The padded view of a compact result, built on first request and published once like <see cref="_flattened"/>.</summary>
    private int[]? _paddedCopy;
    private int[] _loads;
    private int[]? _capacities;

    /// <summary>A compact result over offsets (<c>sources + 1</c> entries) and targets (exactly the routes).</summary>
    internal RoutingResult(int firstSource, int sources, int targets, int k, ReadOnlyMemory<int> offsets,
        ReadOnlyMemory<int> routeTargets, int[] loads, int[]? capacities, long slotsUnfilledByCapacity, TimeSpan elapsed)
    {
        _loads = loads;
        Reset(firstSource, sources, targets, k, offsets, routeTargets, loads, capacities, slotsUnfilledByCapacity, elapsed);
    }

    /// <summary>A compact result over segments (the default call): <see cref="RouteOffsets"/> and <see cref="RouteTargets"/> are flattened on request.</summary>
    internal RoutingResult(int firstSource, int sources, int targets, int k, Engine.RouteSegments segments, int[] loads,
        int[]? capacities, long slotsUnfilledByCapacity, TimeSpan elapsed)
    {
        _loads = loads;
        Reset(firstSource, sources, targets, k, default, default, loads, capacities, slotsUnfilledByCapacity, elapsed);
        _segments = segments;
        ActiveRoutes = segments.Routes;
    }

    /// <summary>A result over a caller's padded <c>R · k</c> buffer (every row: its targets, then -1).</summary>
    internal RoutingResult(int sources, int targets, int k, Memory<int> padded, int[] loads, int[]? capacities,
        long activeRoutes, long slotsUnfilledByCapacity, TimeSpan elapsed)
    {
        Sources = sources;
        Targets = targets;
        K = k;
        _padded = padded;
        _loads = loads;
        _capacities = capacities;
        ActiveRoutes = activeRoutes;
        SlotsUnfilledByCapacity = slotsUnfilledByCapacity;
        Elapsed = elapsed;
    }

    /// <summary>Points a reused result (owned by a <see cref="RouteBuffers"/>) at a new call's routes.</summary>
    internal void Reset(int firstSource, int sources, int targets, int k, ReadOnlyMemory<int> offsets,
        ReadOnlyMemory<int> routeTargets, int[] loads, int[]? capacities, long slotsUnfilledByCapacity, TimeSpan elapsed)
    {
        FirstSource = firstSource;
        Sources = sources;
        Targets = targets;
        K = k;
        _offsets = offsets;
        _targets = routeTargets;
        _segments = null;
        _padded = default;
        _flattened = null;
        _paddedCopy = null;
        _loads = loads;
        _capacities = capacities;
        ActiveRoutes = routeTargets.Length;
        SlotsUnfilledByCapacity = slotsUnfilledByCapacity;
        Elapsed = elapsed;
    }

    /// <summary>The segments of a default call's result (null for a result over buffers or a padded view); for tests.</summary>
    internal Engine.RouteSegments? Segments => _segments;

    /// <summary>The first source this result holds: 0, except for a sharded call.</summary>
    public int FirstSource { get; private set; }

    /// <summary>R, the number of sources this result holds (the shard's length for a sharded call).</summary>
    public int Sources { get; private set; }

    /// <summary>C, the number of targets.</summary>
    public int Targets { get; private set; }

    /// <summary>The fan-out bound k: no source has more routes, and the padded view has k slots per source.</summary>
    public int K { get; private set; }

    /// <summary>
    /// <c>Sources + 1</c> offsets into <see cref="RouteTargets"/>: source <c>r</c>'s routes are
    /// <c>RouteTargets[RouteOffsets[r] .. RouteOffsets[r + 1])</c>.
    /// </summary>
    /// <remarks>
    /// A view of the call's storage when it routed into <see cref="RouteBuffers"/>. A default call's result keeps its
    /// routes in segments below the large-object-heap threshold; this contiguous array (<c>Sources + 1</c> ints) is
    /// built from them on first request and cached, as it is for a padded result. <see cref="RoutesOf"/> needs neither.
    /// </remarks>
    public ReadOnlySpan<int> RouteOffsets => _offsets.IsEmpty ? Flattened()[0] : _offsets.Span;

    /// <summary>Every chosen target, source after source (<see cref="ActiveRoutes"/> entries).</summary>
    /// <remarks>
    /// A view of the call's storage when it routed into <see cref="RouteBuffers"/>. A default call's result keeps its
    /// routes in segments below the large-object-heap threshold; this contiguous array is built from them on first
    /// request (one allocation of <see cref="ActiveRoutes"/> ints, on the large-object heap from 21,250 routes) and
    /// cached, as it is for a padded result. <see cref="RoutesOf"/> reads the segments directly.
    /// </remarks>
    public ReadOnlySpan<int> RouteTargets => _offsets.IsEmpty ? Flattened()[1] : _targets.Span;

    /// <summary>
    /// All routes in the original's padded format: <c>Sources · K</c> entries, source after source, each row its
    /// targets and then -1. Built on first request from the compact routes (O(R·k) memory) unless the call wrote a
    /// padded buffer; prefer <see cref="RoutesOf"/> or <see cref="RouteTargets"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>Sources · K</c> exceeds the largest array.</exception>
    public ReadOnlySpan<int> Routes
    {
        get
        {
            if (!_padded.IsEmpty || (long)Sources * K == 0)
            {
                return _padded.Span;
            }

            int[]? copy = Volatile.Read(ref _paddedCopy);
            if (copy is null)
            {
                CheckPaddedFits();
                copy = GC.AllocateUninitializedArray<int>(Sources * K);
                CopyTo(copy);
                copy = Interlocked.CompareExchange(ref _paddedCopy, copy, null) ?? copy;
            }

            return copy;
        }
    }

    /// <summary>The routes of one source: its chosen targets (at most <see cref="K"/>), without padding.</summary>
    /// <param name="source">Row index in <c>[0, Sources)</c> (source <c>FirstSource + source</c>).</param>
    public ReadOnlySpan<int> RoutesOf(int source)
    {
        if ((uint)source >= (uint)Sources)
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, $"Source must be in [0, {Sources}).");
        }

        return Row(source);
    }

    /// <summary>Row <paramref name="source"/>'s routes (checked by the caller), from whichever form the result holds.</summary>
    private ReadOnlySpan<int> Row(int source)
    {
        if (_segments is not null)
        {
            return _segments.Row(source);
        }

        if (!_offsets.IsEmpty)
        {
            ReadOnlySpan<int> offsets = _offsets.Span;
            int from = offsets[source];
            return _targets.Span[from..offsets[source + 1]];
        }

        ReadOnlySpan<int> row = _padded.Span.Slice(source * K, K);
        int end = row.IndexOf(-1);
        return end < 0 ? row : row[..end];
    }

    /// <summary>Writes the padded view (<c>Sources · K</c> entries: each row's targets, then -1) into a caller's buffer.</summary>
    /// <param name="destination">Exactly <c>Sources · K</c> slots.</param>
    /// <exception cref="ArgumentException">The buffer has the wrong length.</exception>
    public void CopyTo(Span<int> destination)
    {
        if (destination.Length != (long)Sources * K)
        {
            throw new ArgumentException(
                $"destination must hold Sources·K = {Sources}·{K} = {(long)Sources * K} slots; got {destination.Length}.", nameof(destination));
        }

        if (!_padded.IsEmpty)
        {
            _padded.Span.CopyTo(destination);
            return;
        }

        for (int r = 0; r < Sources; r++)
        {
            Span<int> slots = destination.Slice(r * K, K);
            ReadOnlySpan<int> row = Row(r);
            row.CopyTo(slots);
            slots[row.Length..].Fill(-1);
        }
    }

    /// <summary>A new array holding the padded view (<c>Sources · K</c> entries).</summary>
    /// <exception cref="InvalidOperationException"><c>Sources · K</c> exceeds the largest array.</exception>
    public int[] ToArray()
    {
        CheckPaddedFits();
        var result = new int[Sources * K];
        CopyTo(result);
        return result;
    }

    /// <summary>Number of routes (filled slots of the padded view).</summary>
    public long ActiveRoutes { get; private set; }

    /// <summary>Number of routes that end at each target (length C).</summary>
    public ReadOnlySpan<int> TargetLoads => _loads;

    /// <summary>The per-target capacities the call enforced, or an empty span when it had none.</summary>
    public ReadOnlySpan<int> TargetCapacities => _capacities;

    /// <summary>Whether the call enforced target capacities.</summary>
    public bool HasCapacities => _capacities is not null;

    /// <summary>Filled share of all slots: <c>ActiveRoutes / (R · K)</c> (1 when there are no slots).</summary>
    public double FillRatio => Sources == 0 ? 1.0 : ActiveRoutes / ((double)Sources * K);

    /// <summary>Slots of the padded view left at -1, for any reason.</summary>
    public long UnfilledSlots => (long)Sources * K - ActiveRoutes;

    /// <summary>Slots left unfilled because every remaining candidate was full (0 without capacities).</summary>
    public long SlotsUnfilledByCapacity { get; private set; }

    /// <summary>Slots left unfilled because the source had too few candidates (or a lower fan-out limit).</summary>
    public long SlotsUnfilledByCandidates => UnfilledSlots - SlotsUnfilledByCapacity;

    /// <summary>The largest target load.</summary>
    public int MaxLoad => _loads.Length == 0 ? 0 : _loads.Max();

    /// <summary>Wall time of the call, validation and result included.</summary>
    public TimeSpan Elapsed { get; private set; }

    private void CheckPaddedFits()
    {
        if ((long)Sources * K > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"The padded view needs Sources·K = {Sources}·{K} = {(long)Sources * K} slots, more than the largest array; read RoutesOf or RouteTargets instead.");
        }
    }

    /// <summary>The contiguous compact form of a segmented or padded result, built the first time it is asked for.</summary>
    private int[][] Flattened()
    {
        int[][]? flattened = Volatile.Read(ref _flattened);
        if (flattened is not null)
        {
            return flattened;
        }

        var offsets = GC.AllocateUninitializedArray<int>(Sources + 1);
        var targets = GC.AllocateUninitializedArray<int>(checked((int)ActiveRoutes));
        if (_segments is not null)
        {
            _segments.Flatten(offsets, targets);
        }
        else
        {
            int used = 0;
            offsets[0] = 0;
            for (int r = 0; r < Sources; r++)
            {
                ReadOnlySpan<int> row = Row(r);
                row.CopyTo(targets.AsSpan(used));
                used += row.Length;
                offsets[r + 1] = used;
            }
        }

        flattened = [offsets, targets];
        return Interlocked.CompareExchange(ref _flattened, flattened, null) ?? flattened;
    }
}
