namespace PhaseRouter.Engine;

/// <summary>
/// Where a call's compact routes go: a caller's <see cref="RouteBuffers"/> (the result is a view of them); a
/// workspace's staging buffers, copied into a new result's <see cref="RouteSegments"/> at the end (the default call:
/// the staging is warm, and no new array reaches the large-object heap); or new contiguous arrays of exactly the
/// right size (internal uses that are no user's result).
/// </summary>
internal sealed class CompactOutput
{
    private RouteBuffers? _buffers;
    private RouteBuffers? _staging;

    public CompactOutput(int rows, int columns, RouteBuffers? buffers) => Reset(rows, columns, buffers);

    /// <summary>Points this output at a new call (a workspace keeps one and resets it, so that the call allocates no output object).</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">C.</param>
    /// <param name="buffers">The caller's buffers, which the result views; or null.</param>
    /// <param name="staging">Without caller buffers: reused buffers to route into before the result copies them into
    /// segments; or null for new contiguous arrays.</param>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(Offsets), nameof(Loads))]
    public CompactOutput Reset(int rows, int columns, RouteBuffers? buffers, RouteBuffers? staging = null)
    {
        _buffers = buffers;
        _staging = buffers is null ? staging : null;
        RouteBuffers? reused = buffers ?? _staging;
        Offsets = reused?.Offsets(rows) ?? new int[rows + 1];
        Offsets[0] = 0;

        // The loads are C ints that the result keeps: the caller's, or new ones (never the staging's).
        Loads = buffers?.Loads(columns) ?? new int[columns];
        Targets = [];
        return this;
    }

    /// <summary>At least <c>rows + 1</c> offsets; entry r + 1 first receives row r's count, then the prefix sum.</summary>
    public int[] Offsets { get; private set; }

    /// <summary>The per-target loads (exactly C entries, zeroed).</summary>
    public int[] Loads { get; private set; }

    /// <summary>The targets, once <see cref="AllocateTargets(int)"/> has run.</summary>
    public int[] Targets { get; private set; } = [];

    /// <summary>Turns the per-row counts in <c>Offsets[1..rows]</c> into offsets and makes room for the targets.</summary>
    /// <exception cref="ArgumentException">The routes exceed the largest array (route in shards instead).</exception>
    public int AllocateTargets(int rows)
    {
        long total = 0;
        int[] offsets = Offsets;
        for (int r = 1; r <= rows; r++)
        {
            total += offsets[r];
            ThrowIfTooMany(rows, total);
            offsets[r] = (int)total;
        }

        AllocateTargets(rows, total);
        return (int)total;
    }

    /// <summary>
    /// Room for <paramref name="total"/> routes, the offsets of the first <paramref name="rows"/> rows being written
    /// already (as prefix sums); writes the end offset.
    /// </summary>
    public void AllocateTargets(int rows, long total)
    {
        ThrowIfTooMany(rows, total);
        Offsets[rows] = (int)total;
        Targets = (_buffers ?? _staging)?.Targets((int)total) ?? (total == 0 ? [] : GC.AllocateUninitializedArray<int>((int)total));
    }

    private static void ThrowIfTooMany(int rows, long total)
    {
        if (total > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The routes of these {rows} sources exceed the largest array ({Array.MaxLength}); route them in shards (Router.RouteShard).");
        }
    }

    public RoutingResult Result(int firstRow, int rows, int columns, int k, int[]? capacities, long unfilledByCapacity,
        long startTimestamp)
    {
        int total = Offsets[rows];
        if (_staging is not null)
        {
            // The staging is overwritten by the next call: the result gets its own copy, in segments.
            RouteSegments segments = RouteSegments.Copy(Offsets.AsSpan(0, rows + 1), Targets.AsSpan(0, total), rows);
            return new RoutingResult(firstRow, rows, columns, k, segments, Loads, capacities, unfilledByCapacity,
                System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp));
        }

        ReadOnlyMemory<int> offsets = Offsets.AsMemory(0, rows + 1);
        ReadOnlyMemory<int> targets = Targets.AsMemory(0, total);
        TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp);
        if (_buffers is null)
        {
            return new RoutingResult(firstRow, rows, columns, k, offsets, targets, Loads, capacities, unfilledByCapacity, elapsed);
        }

        RoutingResult? reused = _buffers.Result;
        if (reused is null)
        {
            reused = new RoutingResult(firstRow, rows, columns, k, offsets, targets, Loads, capacities, unfilledByCapacity, elapsed);
            _buffers.Result = reused;
        }
        else
        {
            reused.Reset(firstRow, rows, columns, k, offsets, targets, Loads, capacities, unfilledByCapacity, elapsed);
        }

        return reused;
    }
}
