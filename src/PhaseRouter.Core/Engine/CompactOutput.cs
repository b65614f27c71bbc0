namespace PhaseRouter.Engine;

/// <summary>
/// Where a call's compact routes go: new arrays of exactly the right size (the default call), or a caller's
/// <see cref="RouteBuffers"/>.
/// </summary>
internal sealed class CompactOutput
{
    private RouteBuffers? _buffers;

    public CompactOutput(int rows, int columns, RouteBuffers? buffers) => Reset(rows, columns, buffers);

    /// <summary>Points this output at a new call (a workspace keeps one and resets it, so that the call allocates no output object).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(Offsets), nameof(Loads))]
    public CompactOutput Reset(int rows, int columns, RouteBuffers? buffers)
    {
        _buffers = buffers;
        Offsets = buffers?.Offsets(rows) ?? new int[rows + 1];
        Offsets[0] = 0;
        Loads = buffers?.Loads(columns) ?? new int[columns];
        Targets = [];
        return this;
    }

    /// <summary>At least <c>rows + 1</c> offsets; entry r + 1 first receives row r's count, then the prefix sum.</summary>
    public int[] Offsets { get; private set; }

    /// <summary>The per-target loads (exactly C entries, zeroed).</summary>
    public int[] Loads { get; private set; }

    /// <summary>The targets, once <see cref="AllocateTargets"/> has run.</summary>
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
            if (total > Array.MaxLength)
            {
                throw new ArgumentException(
                    $"The routes of these {rows} sources exceed the largest array ({Array.MaxLength}); route them in shards (Router.RouteShard).");
            }

            offsets[r] = (int)total;
        }

        Targets = _buffers?.Targets((int)total) ?? (total == 0 ? [] : GC.AllocateUninitializedArray<int>((int)total));
        return (int)total;
    }

    public RoutingResult Result(int firstRow, int rows, int columns, int k, int[]? capacities, long unfilledByCapacity,
        long startTimestamp)
    {
        int total = Offsets[rows];
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
