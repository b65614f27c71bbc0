using System.Diagnostics;
using PhaseRouter.Kernels;

namespace PhaseRouter.Engine;

/// <summary>Runs steps 1–8 on validated degree vectors.</summary>
internal static class RouteEngine
{
    public static RoutingResult Run(int[] sourceDegrees, int[] targetDegrees, int k, RouterOptions options, long startTimestamp,
        Memory<int> destination = default)
    {
        int rows = sourceDegrees.Length;
        int columns = targetDegrees.Length;
        var layout = new PhaseLayout(sourceDegrees, targetDegrees, ResolvePermutations(options, rows, columns));
        CandidateKernel kernel = CandidateKernel.Create(options.Kernel, layout, options.MaxDegreeOfParallelism);

        // Every slot is written below (a route or -1), so a new array need not be zeroed first.
        Memory<int> routes = destination.IsEmpty && rows * k > 0 ? GC.AllocateUninitializedArray<int>(rows * k) : destination;
        var loads = new int[columns];
        long active;
        long unfilledByCapacity = 0;
        int[]? capacities = options.TargetCapacities is null ? null : (int[])options.TargetCapacities.Clone();
        if (capacities is null)
        {
            active = RouteUncapped(kernel, k, options, routes, loads);
        }
        else
        {
            active = RouteCapped(kernel, k, options, capacities, routes, loads, out unfilledByCapacity);
        }

        return new RoutingResult(rows, columns, k, routes, loads, capacities, active, unfilledByCapacity,
            Stopwatch.GetElapsedTime(startTimestamp));
    }

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

    internal static PhasePermutations ResolvePermutations(RouterOptions options, int rows, int columns)
    {
        PhasePermutations? given = options.Permutations;
        if (given is null)
        {
            return PhasePermutations.FromSeed(options.Seed, rows, columns, options.PermuteRows);
        }

        if (!options.PermuteRows || (given.SourceRows is not null && given.TargetRows is not null))
        {
            return given;
        }

        // Row permutations asked for but not given: derive the missing ones from the seed.
        return given with
        {
            SourceRows = given.SourceRows ?? PhaseRandom.Permutation(options.Seed, PhaseRandom.SourceRowsDomain, rows),
            TargetRows = given.TargetRows ?? PhaseRandom.Permutation(options.Seed, PhaseRandom.TargetRowsDomain, columns),
        };
    }

    private static long RouteUncapped(CandidateKernel kernel, int k, RouterOptions options, Memory<int> routes, int[] loads)
    {
        PhaseLayout layout = kernel.Layout;
        int columns = layout.C;
        ReadOnlyMemory<float>? scores = options.Scores;
        ulong seed = options.Seed;
        return RowFill.Run(layout.R, columns, k, options.SourceLimits, (long)layout.R * (k + 16), options.MaxDegreeOfParallelism,
            routes, loads, () => new int[Math.Max(1, layout.MaxCandidates)], (i, limit, slots, buffer) => scores is null
                ? RowSelector.SelectRandom(buffer.AsSpan(0, kernel.Enumerate(i, buffer)), limit, seed, i, slots)
                : TopScores(kernel, i, buffer, scores.Value.Span.Slice(i * columns, columns), limit, slots, out _));
    }

    private static long RouteCapped(CandidateKernel kernel, int k, RouterOptions options, int[] capacities,
        Memory<int> routes, int[] loads, out long unfilledByCapacity)
    {
        PhaseLayout layout = kernel.Layout;
        int rows = layout.R;
        int columns = layout.C;
        ReadOnlyMemory<float>? scores = options.Scores;
        int[]? limits = options.SourceLimits;
        ulong seed = options.Seed;
        int[] order;
        int[]? eligibleCounts = null;

        if (scores is not null)
        {
            // Phase A, parallel: each source's uncapped top list, which is also its priority key (best score).
            eligibleCounts = new int[rows];
            var keys = new uint[rows];
            ParallelRows.For(rows, (long)rows * (k + 16), options.MaxDegreeOfParallelism, (from, to) =>
            {
                var buffer = new int[Math.Max(1, layout.MaxCandidates)];
                for (int i = from; i < to; i++)
                {
                    int limit = limits is null ? k : limits[i];
                    Span<int> slots = routes.Span.Slice(i * k, k);
                    ReadOnlySpan<float> rowScores = scores.Value.Span.Slice(i * columns, columns);
                    int taken = TopScores(kernel, i, buffer, rowScores, limit, slots, out int eligible);
                    slots[taken..].Fill(-1);
                    eligibleCounts[i] = eligible;
                    float best = taken == 0 ? float.NegativeInfinity : rowScores[slots[0]];
                    keys[i] = PriorityOrder.Key(best);
                }
            });
            order = PriorityOrder.Sort(keys);
        }
        else
        {
            order = PhaseRandom.Permutation(seed, PhaseRandom.PriorityDomain, rows);
        }

        // Phase B, sequential in priority order: the only part where one source's choice affects another's.
        var buffer = new int[Math.Max(1, layout.MaxCandidates)];
        var full = new ulong[(columns + 63) >> 6];
        for (int j = 0; j < columns; j++)
        {
            if (capacities[j] == 0)
            {
                full[j >> 6] |= 1UL << j;
            }
        }

        long active = 0;
        long lost = 0;
        Span<int> allRoutes = routes.Span;
        ReadOnlySpan<float> allScores = scores is null ? default : scores.Value.Span;
        foreach (int i in order)
        {
            int limit = limits is null ? k : limits[i];
            Span<int> slots = allRoutes.Slice(i * k, k);
            int taken;
            int reachable;
            if (scores is not null)
            {
                reachable = Math.Min(limit, eligibleCounts![i]);
                taken = TakePreferred(slots, reachable, full) ? reachable : RankOpen(kernel, i, buffer, allScores.Slice(i * columns, columns), limit, slots, full);
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

            slots[taken..].Fill(-1);
            active += taken;
            lost += reachable - taken;
        }

        unfilledByCapacity = lost;
        return active;
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
    private static bool TakePreferred(Span<int> slots, int count, ulong[] full)
    {
        for (int t = 0; t < count; t++)
        {
            int j = slots[t];
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
