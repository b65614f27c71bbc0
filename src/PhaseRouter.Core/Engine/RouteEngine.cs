using System.Diagnostics;
using System.Numerics;
using PhaseRouter.Kernels;

namespace PhaseRouter.Engine;

/// <summary>Runs steps 1–8 on validated degree vectors.</summary>
internal static class RouteEngine
{
    /// <summary>This thread's layout arrays for calls without buffers (taken for the call, so a nested call makes its own).</summary>
    [ThreadStatic]
    private static LayoutWorkspace? t_workspace;

    /// <summary>Routes a whole problem: into new compact arrays, a caller's <see cref="RouteBuffers"/>, or a padded buffer.</summary>
    public static RoutingResult Run(int[] sourceDegrees, int[] targetDegrees, int k, RouterOptions options, long startTimestamp,
        Memory<int> padded = default, RouteBuffers? buffers = null)
    {
        LayoutWorkspace workspace = Acquire(buffers);
        try
        {
            return Run(workspace, sourceDegrees, targetDegrees, k, options, startTimestamp, padded, buffers);
        }
        finally
        {
            Release(workspace, buffers);
        }
    }

    /// <summary>Routes validated degree spans, copied into the workspace (no per-call degree arrays).</summary>
    public static RoutingResult Run(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k, RouterOptions options,
        long startTimestamp, Memory<int> padded = default, RouteBuffers? buffers = null)
    {
        LayoutWorkspace workspace = Acquire(buffers);
        try
        {
            int[] s = LayoutWorkspace.Take(ref workspace.SourceDegrees, sourceDegrees.Length);
            int[] t = LayoutWorkspace.Take(ref workspace.TargetDegrees, targetDegrees.Length);
            sourceDegrees.CopyTo(s);
            targetDegrees.CopyTo(t);
            return Run(workspace, s, t, k, options, startTimestamp, padded, buffers);
        }
        finally
        {
            Release(workspace, buffers);
        }
    }

    /// <summary>
    /// No result refers to the workspace's arrays (a default call's result copies its routes out of the staging), so a
    /// call without buffers borrows this thread's workspace (taken for the call, so a nested call makes its own): the
    /// default call then allocates only what it returns.
    /// </summary>
    private static LayoutWorkspace Acquire(RouteBuffers? buffers)
    {
        if (buffers is not null)
        {
            return buffers.Workspace;
        }

        LayoutWorkspace workspace = t_workspace ?? new LayoutWorkspace();
        t_workspace = null;
        return workspace;
    }

    private static void Release(LayoutWorkspace workspace, RouteBuffers? buffers)
    {
        if (buffers is null)
        {
            t_workspace = workspace;
        }
    }

    private static RoutingResult Run(LayoutWorkspace workspace, int[] sourceDegrees, int[] targetDegrees, int k,
        RouterOptions options, long startTimestamp, Memory<int> padded, RouteBuffers? buffers)
    {
        int rows = sourceDegrees.Length;
        int columns = targetDegrees.Length;
        bool sweep = UsesSweep(options, sourceDegrees, targetDegrees);
        int[] piS;
        int[] piT;
        int[]? rhoS = null;
        int[]? rhoT = null;
        if (options.Permutations is not null || options.PermuteRows)
        {
            PhasePermutations permutations = ResolvePermutations(options, rows, columns);
            (piS, piT, rhoS, rhoT) = (permutations.SourceColumns, permutations.TargetColumns, permutations.SourceRows, permutations.TargetRows);
        }
        else
        {
            (piS, piT) = SeededInto(workspace, options, rows, columns);
        }

        PhaseLayout layout = workspace.Layout ??= new PhaseLayout();
        layout.Reset(sourceDegrees, targetDegrees, piS, piT, rhoS, rhoT, workspace, arcTables: !sweep);
        return sweep
            ? Sweep(layout, workspace, k, options, startTimestamp, padded, buffers)
            : Run(layout, workspace, k, options, startTimestamp, padded, buffers);
    }

    /// <summary>
    /// Whether the candidate sweep routes this call: random selection without capacities over a non-empty problem,
    /// asked for (<see cref="RouterKernel.Sweep"/>) or, for <see cref="RouterKernel.Auto"/>, expected to be cheaper
    /// than the per-source scans.
    /// </summary>
    private static bool UsesSweep(RouterOptions options, int[] sourceDegrees, int[] targetDegrees)
    {
        if (options.TargetCapacities is not null || options.Scores is not null || sourceDegrees.Length == 0 || targetDegrees.Length == 0)
        {
            return false;
        }

        return options.Kernel switch
        {
            RouterKernel.Sweep => true,
            RouterKernel.Auto => CandidateSweep.Pays(sourceDegrees.Length, targetDegrees.Length, Sum(sourceDegrees), Sum(targetDegrees)),
            _ => false,
        };
    }

    /// <summary>Σ values in 64 bits, widened lane by lane (every call sums both degree vectors once).</summary>
    private static long Sum(int[] values)
    {
        var total = Vector<long>.Zero;
        ReadOnlySpan<int> span = values;
        int i = 0;
        for (; i + Vector<int>.Count <= span.Length; i += Vector<int>.Count)
        {
            Vector.Widen(new Vector<int>(span[i..]), out Vector<long> low, out Vector<long> high);
            total += low + high;
        }

        long sum = Vector.Sum(total);
        for (; i < span.Length; i++)
        {
            sum += span[i];
        }

        return sum;
    }

    /// <summary>
    /// Routes the sources <c>[first, first + shardDegrees.Length)</c> of an R-source problem: only πS (C entries) and
    /// the shard's entries of πT are drawn, all of πT for <see cref="PermutationMethod.Shuffle"/> (a Fisher–Yates
    /// shuffle cannot be entered in the middle), just the shard's for <see cref="PermutationMethod.Feistel"/>.
    /// </summary>
    public static RoutingResult RunShard(int rows, int first, int[] shardDegrees, long degreesBefore, int[] targetDegrees, int k,
        RouterOptions options, long startTimestamp, RouteBuffers? buffers)
    {
        int columns = targetDegrees.Length;
        int length = shardDegrees.Length;
        int[] piS;
        int[] piT;
        int[]? rhoT = null;
        if (options.Permutations is { } given)
        {
            piS = given.SourceColumns;
            piT = given.TargetColumns.AsSpan(first, length).ToArray();
            rhoT = given.TargetRows;
        }
        else if (options.PermutationMethod == PermutationMethod.Feistel)
        {
            piS = new IndexPermutation(options.Seed, PhaseRandom.SourceColumnsDomain, columns).ToArray();
            piT = new int[length];
            new IndexPermutation(options.Seed, PhaseRandom.TargetColumnsDomain, rows).Fill(first, piT);
        }
        else
        {
            piS = PhaseRandom.Permutation(options.Seed, PhaseRandom.SourceColumnsDomain, columns);
            piT = PhaseRandom.Permutation(options.Seed, PhaseRandom.TargetColumnsDomain, rows).AsSpan(first, length).ToArray();
        }

        LayoutWorkspace workspace = Acquire(buffers);
        try
        {
            var layout = new PhaseLayout(rows, first, shardDegrees, degreesBefore, targetDegrees, piS, piT, null, rhoT, workspace);
            return Run(layout, workspace, k, options, startTimestamp, default, buffers);
        }
        finally
        {
            Release(workspace, buffers);
        }
    }

    private static RoutingResult Run(PhaseLayout layout, LayoutWorkspace workspace, int k, RouterOptions options, long startTimestamp,
        Memory<int> padded, RouteBuffers? buffers)
    {
        int rows = layout.Rows;
        int columns = layout.C;
        CandidateKernel kernel = CandidateKernel.Create(options.Kernel, layout, options.MaxDegreeOfParallelism);
        int[]? capacities = options.TargetCapacities is null ? null : (int[])options.TargetCapacities.Clone();
        if (capacities is null && !padded.IsEmpty)
        {
            // The original's format asked for: write each row's slots in place (no compact detour).
            var paddedLoads = new int[columns];
            long active = RouteUncappedPadded(kernel, k, options, padded, paddedLoads);
            return new RoutingResult(rows, columns, k, padded, paddedLoads, null, active, 0,
                Stopwatch.GetElapsedTime(startTimestamp));
        }

        CompactOutput output = OutputOf(workspace, rows, columns, buffers);
        long unfilledByCapacity = 0;
        if (capacities is null)
        {
            RouteUncapped(kernel, k, options, output);
        }
        else
        {
            unfilledByCapacity = RouteCapped(kernel, k, options, capacities, output);
        }

        return Finish(output, layout.FirstRow, rows, columns, k, capacities, unfilledByCapacity, padded, options, startTimestamp);
    }

    /// <summary>
    /// The workspace's compact output, reset for this call: into the caller's buffers, or else into the workspace's
    /// staging (made on first use), which the result copies out of or the padded format is expanded from.
    /// </summary>
    private static CompactOutput OutputOf(LayoutWorkspace workspace, int rows, int columns, RouteBuffers? buffers) =>
        (workspace.Output ??= new CompactOutput(0, 0, null)).Reset(rows, columns, buffers, workspace.Staging ??= new RouteBuffers());

    /// <summary>The call's result from its compact output: viewing it, or expanded into the caller's R·k slots.</summary>
    private static RoutingResult Finish(CompactOutput output, int firstRow, int rows, int columns, int k, int[]? capacities,
        long unfilledByCapacity, Memory<int> padded, RouterOptions options, long startTimestamp) =>
        padded.IsEmpty
            ? output.Result(firstRow, rows, columns, k, capacities, unfilledByCapacity, startTimestamp)
            : PaddedResult(output, rows, columns, k, capacities, unfilledByCapacity, padded, options.MaxDegreeOfParallelism, startTimestamp);

    /// <summary>
    /// A whole routing by the candidate sweep: into the caller's compact buffers, or into the workspace's staging and
    /// then into the result's segments (default call) or row by row into the caller's R·k slots (padded format).
    /// </summary>
    private static RoutingResult Sweep(PhaseLayout layout, LayoutWorkspace workspace, int k, RouterOptions options, long startTimestamp,
        Memory<int> padded, RouteBuffers? buffers)
    {
        int rows = layout.Rows;
        int columns = layout.C;
        CompactOutput output = OutputOf(workspace, rows, columns, buffers);
        CandidateSweep.Route(layout, k, options.SourceLimits, options.Seed, output, workspace);
        return Finish(output, layout.FirstRow, rows, columns, k, null, 0, padded, options, startTimestamp);
    }

    /// <summary>A padded call's result: the staged compact rows expanded into the caller's R·k slots, which the result views.</summary>
    private static RoutingResult PaddedResult(CompactOutput staged, int rows, int columns, int k, int[]? capacities,
        long unfilledByCapacity, Memory<int> padded, int maxDegreeOfParallelism, long startTimestamp)
    {
        ExpandPadded(staged.Offsets, staged.Targets, rows, k, padded, maxDegreeOfParallelism);
        return new RoutingResult(rows, columns, k, padded, staged.Loads, capacities, staged.Offsets[rows], unfilledByCapacity,
            Stopwatch.GetElapsedTime(startTimestamp));
    }

    /// <summary>
    /// Writes compact rows into R·k padded slots (each row's targets, then -1). Writing them is memory-bound (33 MB at
    /// N = 16384, k = 512), so it is split by rows, as the per-source path's fill is. A method of its own, so that the
    /// closure exists only for padded calls.
    /// </summary>
    private static void ExpandPadded(int[] offsets, int[] targets, int rows, int k, Memory<int> padded, int maxDegreeOfParallelism) =>
        ParallelRows.For(rows, (long)rows * k, maxDegreeOfParallelism, (from, to) =>
        {
            Span<int> slots = padded.Span;
            for (int i = from; i < to; i++)
            {
                Span<int> row = slots.Slice(i * k, k);
                int count = offsets[i + 1] - offsets[i];
                targets.AsSpan(offsets[i], count).CopyTo(row);
                row[count..].Fill(-1);
            }
        });

    /// <summary>The candidate matrix of step 7.</summary>
    public static BitMatrix Candidates(int[] sourceDegrees, int[] targetDegrees, RouterOptions options)
    {
        int rows = sourceDegrees.Length;
        int columns = targetDegrees.Length;
        var layout = new PhaseLayout(sourceDegrees, targetDegrees, ResolvePermutations(options, rows, columns));
        CandidateKernel kernel = CandidateKernel.Create(options.Kernel, layout, options.MaxDegreeOfParallelism);
        if (kernel is BitPipelineKernel pipeline)
        {
            return pipeline.Candidates;
        }

        var result = new BitMatrix(rows, columns);
        ParallelRows.For(rows, (long)rows * 16, options.MaxDegreeOfParallelism, (from, to) =>
        {
            var buffer = new int[Math.Max(1, layout.MaxCandidates)];
            for (int i = from; i < to; i++)
            {
                int count = kernel.Enumerate(i, buffer);
                Span<ulong> row = result.RowSpan(i);
                for (int c = 0; c < count; c++)
                {
                    row[buffer[c] >> 6] |= 1UL << buffer[c];
                }
            }
        });
        return result;
    }

    /// <summary>The seed-derived πS and πT, drawn into a workspace's arrays.</summary>
    private static (int[] PiS, int[] PiT) SeededInto(LayoutWorkspace workspace, RouterOptions options, int rows, int columns)
    {
        int[] piS = LayoutWorkspace.Take(ref workspace.PiS, columns);
        int[] piT = LayoutWorkspace.Take(ref workspace.PiT, rows);
        if (options.PermutationMethod == PermutationMethod.Feistel)
        {
            new IndexPermutation(options.Seed, PhaseRandom.SourceColumnsDomain, columns).Fill(0, piS);
            new IndexPermutation(options.Seed, PhaseRandom.TargetColumnsDomain, rows).Fill(0, piT);
        }
        else
        {
            PhaseRandom.FillPermutation(options.Seed, PhaseRandom.SourceColumnsDomain, piS);
            PhaseRandom.FillPermutation(options.Seed, PhaseRandom.TargetColumnsDomain, piT);
        }

        return (piS, piT);
    }

    internal static PhasePermutations ResolvePermutations(RouterOptions options, int rows, int columns)
    {
        PhasePermutations? given = options.Permutations;
        if (given is null)
        {
            return PhasePermutations.FromSeed(options.Seed, rows, columns, options.PermuteRows, options.PermutationMethod);
        }

        if (!options.PermuteRows || (given.SourceRows is not null && given.TargetRows is not null))
        {
            return given;
        }

        // Row permutations asked for but not given: derive the missing ones from the seed.
        return given with
        {
            SourceRows = given.SourceRows ?? PhasePermutations.Seeded(options.Seed, PhaseRandom.SourceRowsDomain, rows, options.PermutationMethod),
            TargetRows = given.TargetRows ?? PhasePermutations.Seeded(options.Seed, PhaseRandom.TargetRowsDomain, columns, options.PermutationMethod),
        };
    }

    /// <summary>
    /// The expected number of routes by the first-order law (row r expects <c>s_r · Σt / (C · R)</c> candidates),
    /// each row capped by its limit: sizes the first staging arrays.
    /// </summary>
    private static long ExpectedRoutes(PhaseLayout layout, int k, int[]? limits)
    {
        if (layout.R == 0 || layout.C == 0)
        {
            return 0;
        }

        double perDegree = layout.TotalTargetDegree / ((double)layout.C * layout.R);
        int[] s = layout.SourceDegrees;
        double total = 0;
        for (int r = 0; r < s.Length; r++)
        {
            total += Math.Min(limits is null ? k : limits[r], s[r] * perDegree + 1);
        }

        return (long)total;
    }

    /// <summary>Rough work of routing the rows, for the inline-or-parallel decision.</summary>
    private static long Work(PhaseLayout layout, int k) =>
        (long)layout.Rows * (Math.Min(k, Math.Max(1, layout.MaxCandidates)) + 16);

    private static void RouteUncapped(CandidateKernel kernel, int k, RouterOptions options, CompactOutput output)
    {
        PhaseLayout layout = kernel.Layout;
        int columns = layout.C;
        int first = layout.FirstRow;
        ReadOnlyMemory<float>? scores = options.Scores;
        ulong seed = options.Seed;
        int[]? limits = options.SourceLimits;
        int scratch = Math.Max(1, layout.MaxCandidates);
        CompactFill.Run(layout.Rows, columns, k, limits, Work(layout, k), ExpectedRoutes(layout, k, limits),
            options.MaxDegreeOfParallelism, output, () => System.Buffers.ArrayPool<int>.Shared.Rent(scratch),
            (r, limit, slots, buffer) => scores is null
                ? RowSelector.SelectRandom(buffer.AsSpan(0, kernel.Enumerate(r, buffer)), limit, seed, first + r, slots)
                : TopScores(kernel, r, buffer, scores.Value.Span.Slice(r * columns, columns), limit, slots, out _),
            buffer => System.Buffers.ArrayPool<int>.Shared.Return(buffer));
    }

    private static long RouteUncappedPadded(CandidateKernel kernel, int k, RouterOptions options, Memory<int> routes, int[] loads)
    {
        PhaseLayout layout = kernel.Layout;
        int columns = layout.C;
        ReadOnlyMemory<float>? scores = options.Scores;
        ulong seed = options.Seed;
        return RowFill.Run(layout.Rows, columns, k, options.SourceLimits, (long)layout.Rows * (k + 16), options.MaxDegreeOfParallelism,
            routes, loads, () => new int[Math.Max(1, layout.MaxCandidates)], (i, limit, slots, buffer) => scores is null
                ? RowSelector.SelectRandom(buffer.AsSpan(0, kernel.Enumerate(i, buffer)), limit, seed, i, slots)
                : TopScores(kernel, i, buffer, scores.Value.Span.Slice(i * columns, columns), limit, slots, out _));
    }

    /// <returns>The slots left unfilled because every remaining candidate was full.</returns>
    private static long RouteCapped(CandidateKernel kernel, int k, RouterOptions options, int[] capacities, CompactOutput output)
    {
        PhaseLayout layout = kernel.Layout;
        int rows = layout.Rows;
        int columns = layout.C;
        ReadOnlyMemory<float>? scores = options.Scores;
        int[]? limits = options.SourceLimits;
        ulong seed = options.Seed;
        long expected = ExpectedRoutes(layout, k, limits);
        int[] order;
        int[]? eligibleCounts = null;
        CompactOutput? preferred = null;

        if (scores is not null)
        {
            // Phase A, parallel: each source's uncapped top list, which is also its priority key (best score).
            eligibleCounts = new int[rows];
            var keys = new uint[rows];
            preferred = new CompactOutput(rows, columns, null);
            CompactFill.Run(rows, columns, k, limits, Work(layout, k), expected, options.MaxDegreeOfParallelism, preferred,
                () => new int[Math.Max(1, layout.MaxCandidates)], (i, limit, slots, buffer) =>
                {
                    ReadOnlySpan<float> rowScores = scores.Value.Span.Slice(i * columns, columns);
                    int taken = TopScores(kernel, i, buffer, rowScores, limit, slots, out int eligible);
                    eligibleCounts[i] = eligible;
                    keys[i] = PriorityOrder.Key(taken == 0 ? float.NegativeInfinity : rowScores[slots[0]]);
                    return taken;
                });
            order = PriorityOrder.Sort(keys);
        }
        else
        {
            order = PhaseRandom.Permutation(seed, PhaseRandom.PriorityDomain, rows);
        }

        // Phase B, sequential in priority order: the only part where one source's choice affects another's. Rows are
        // written one after another in serving order into a staging array, then moved to their places.
        int[] loads = output.Loads;
        int[] offsets = output.Offsets;
        var buffer = new int[Math.Max(1, layout.MaxCandidates)];
        var full = new ulong[(columns + 63) >> 6];
        for (int j = 0; j < columns; j++)
        {
            if (capacities[j] == 0)
            {
                full[j >> 6] |= 1UL << j;
            }
        }

        int room = Math.Min(k, columns);
        var startOf = new int[rows];
        int[] staging = System.Buffers.ArrayPool<int>.Shared.Rent((int)Math.Min(Array.MaxLength, expected + room + 64));
        int used = 0;
        long lost = 0;
        ReadOnlySpan<float> allScores = scores is null ? default : scores.Value.Span;
        foreach (int i in order)
        {
            int limit = limits is null ? k : limits[i];
            int rowRoom = Math.Min(limit, room);
            if (staging.Length - used < rowRoom)
            {
                int[] larger = System.Buffers.ArrayPool<int>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max((long)used + rowRoom, 2L * staging.Length)));
                staging.AsSpan(0, used).CopyTo(larger);
                System.Buffers.ArrayPool<int>.Shared.Return(staging);
                staging = larger;
            }

            Span<int> slots = staging.AsSpan(used, rowRoom);
            int taken;
            int reachable;
            if (preferred is not null)
            {
                reachable = Math.Min(limit, eligibleCounts![i]);
                ReadOnlySpan<int> top = preferred.Targets.AsSpan(preferred.Offsets[i], preferred.Offsets[i + 1] - preferred.Offsets[i]);
                if (TakePreferred(top, full))
                {
                    top.CopyTo(slots);
                    taken = top.Length;
                }
                else
                {
                    taken = RankOpen(kernel, i, buffer, allScores.Slice(i * columns, columns), limit, slots, full);
                }
            }
            else
            {
                int count = kernel.Enumerate(i, buffer);
                reachable = Math.Min(limit, count);
                taken = RowSelector.SelectRandomWithCapacity(buffer.AsSpan(0, count), limit, seed, i, full, slots);
            }

            for (int t = 0; t < taken; t++)
            {
                int j = slots[t];
                if (++loads[j] == capacities[j])
                {
                    full[j >> 6] |= 1UL << j;
                }
            }

            startOf[i] = used;
            offsets[i + 1] = taken;
            used += taken;
            lost += reachable - taken;
        }

        output.AllocateTargets(rows);
        int[] targets = output.Targets;
        for (int i = 0; i < rows; i++)
        {
            staging.AsSpan(startOf[i], offsets[i + 1] - offsets[i]).CopyTo(targets.AsSpan(offsets[i]));
        }

        System.Buffers.ArrayPool<int>.Shared.Return(staging);
        return lost;
    }

    /// <summary>
    /// A source's uncapped top list by score. A complete row (every target a candidate) is ranked straight from its
    /// contiguous score row with vector compares; the bit pipeline always goes through its own candidates.
    /// </summary>
    private static int TopScores(CandidateKernel kernel, int row, int[] buffer, ReadOnlySpan<float> rowScores, int limit,
        Span<int> slots, out int eligible)
    {
        if (limit <= 16 && kernel is ArcScanKernel && kernel.Layout.IsComplete(row))
        {
            return FloatScan.TopScores(rowScores, limit, slots, out eligible);
        }

        int count = kernel.EnumerateUnordered(row, buffer);
        return RowSelector.SelectTopScores(buffer.AsSpan(0, count), rowScores, limit, slots, out eligible);
    }

    /// <summary>
    /// Whether every target on the source's uncapped top list has room: greedy serving then picks exactly that list.
    /// </summary>
    private static bool TakePreferred(ReadOnlySpan<int> top, ulong[] full)
    {
        foreach (int j in top)
        {
            if ((full[j >> 6] >> j & 1) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A source's top list among the candidates that still have room.</summary>
    private static int RankOpen(CandidateKernel kernel, int row, int[] buffer, ReadOnlySpan<float> rowScores, int limit, Span<int> slots,
        ulong[] full)
    {
        if (limit <= 16 && kernel is ArcScanKernel && kernel.Layout.IsComplete(row))
        {
            return FloatScan.TopScores(rowScores, limit, slots, out _, full);
        }

        int count = kernel.EnumerateUnordered(row, buffer);
        int open = 0;
        for (int c = 0; c < count; c++)
        {
            int j = buffer[c];
            if ((full[j >> 6] >> j & 1) == 0)
            {
                buffer[open++] = j;
            }
        }

        return RowSelector.SelectTopScores(buffer.AsSpan(0, open), rowScores, limit, slots, out _);
    }
}
