namespace PhaseRouter;

/// <summary>
/// Caller-owned storage for compact routes (the offsets and the chosen targets of <see cref="RoutingResult"/>, the
/// target loads, and the result object itself), reused across calls so that routing in a loop allocates nothing
/// once the buffers have grown to the largest call. Pass one to the <see cref="Router"/> overloads that take it.
/// </summary>
/// <remarks>
/// A result routed into these buffers is a view of them: the next call with the same buffers overwrites it (it even
/// returns the same <see cref="RoutingResult"/> object). Copy what you need first, or use one buffer per result you
/// keep. One call at a time per instance. Buffers grow when a call needs more room and never shrink.
/// </remarks>
public sealed class RouteBuffers
{
    private int[] _offsets = [];
    private int[] _targets = [];
    private int[] _loads = [];

    /// <summary>Empty buffers that grow on first use.</summary>
    public RouteBuffers()
    {
    }

    /// <summary>Buffers sized up front for calls of up to <paramref name="sources"/> sources and <paramref name="routes"/> routes.</summary>
    /// <param name="sources">Sources per call to make room for, at least 0.</param>
    /// <param name="routes">Routes per call to make room for, at least 0.</param>
    public RouteBuffers(int sources, int routes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sources);
        ArgumentOutOfRangeException.ThrowIfNegative(routes);
        _offsets = new int[sources + 1];
        _targets = new int[routes];
    }

    /// <summary>The number of sources a call can route without the offsets growing.</summary>
    public int SourceCapacity => Math.Max(0, _offsets.Length - 1);

    /// <summary>The number of routes a call can hold without the targets growing.</summary>
    public int RouteCapacity => _targets.Length;

    /// <summary>The per-call O(R + C) arrays (degrees, permutations, ring tables), reused by calls of the same shape.</summary>
    internal Engine.LayoutWorkspace Workspace { get; } = new();

    /// <summary>The result the last call returned, reused by the next.</summary>
    internal RoutingResult? Result { get; set; }

    /// <summary>Offsets for <paramref name="rows"/> sources (at least <c>rows + 1</c> entries).</summary>
    internal int[] Offsets(int rows)
    {
        if (_offsets.Length < rows + 1)
        {
            _offsets = new int[rows + 1];
        }

        return _offsets;
    }

    /// <summary>Room for <paramref name="routes"/> targets, grown by at least half when too small.</summary>
    internal int[] Targets(int routes)
    {
        if (_targets.Length < routes)
        {
            _targets = GC.AllocateUninitializedArray<int>((int)Math.Min(Array.MaxLength, Math.Max(routes, _targets.Length + (long)_targets.Length / 2)));
        }

        return _targets;
    }

    /// <summary>Zeroed loads of exactly <paramref name="columns"/> targets.</summary>
    internal int[] Loads(int columns)
    {
        if (_loads.Length != columns)
        {
            _loads = new int[columns];
        }
        else
        {
            Array.Clear(_loads);
        }

        return _loads;
    }
}
