using System.Diagnostics;

namespace PhaseRouter.Kernels;

/// <summary>Runs steps 1–8 on validated degree vectors.</summary>
internal static class RouteEngine
{
    public static RoutingResult Run(int[] sourceDegrees, int[] targetDegrees, int k, RouterOptions options, long startTimestamp)
    {
        int rows = sourceDegrees.Length;
        int columns = targetDegrees.Length;
        var layout = new PhaseLayout(sourceDegrees, targetDegrees, ResolvePermutations(options, rows, columns));
        CandidateKernel kernel = CandidateKernel.Create(options.Kernel, layout, options.MaxDegreeOfParallelism);

        // Every slot is written below (a route or -1), so the array need not be zeroed first.
        int[] routes = GC.AllocateUninitializedArray<int>(rows * k);
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

    private static long RouteUncapped(CandidateKernel kernel, int k, RouterOptions options, int[] routes, int[] loads)
    {
        PhaseLayout layout = kernel.Layout;
        int rows = layout.R;
        int columns = layout.C;
        float[]? scores = options.Scores;
        int[]? limits = options.SourceLimits;
        ulong seed = options.Seed;
        long active = 0;
        object gate = new();
        ParallelRows.For(rows, (long)rows * (k + 16), options.MaxDegreeOfParallelism, (from, to) =>
        {
            var buffer = new int[Math.Max(1, layout.MaxCandidates)];
            var localLoads = new int[columns];
            long localActive = 0;
            for (int i = from; i < to; i++)
            {
                int limit = limits is null ? k : limits[i];
                Span<int> slots = routes.AsSpan(i * k, k);
                int count = kernel.Enumerate(i, buffer);
                int taken = scores is null
                    ? RowSelector.SelectRandom(buffer.AsSpan(0, count), limit, seed, i, slots)
                    : RowSelector.SelectTopScores(buffer.AsSpan(0, count), scores, i * columns, limit, slots, out _);
                for (int t = 0; t < taken; t++)
                {
                    localLoads[slots[t]]++;
                }

                slots[taken..].Fill(-1);
                localActive += taken;
            }

            lock (gate)
            {
                active += localActive;
                for (int j = 0; j < columns; j++)
                {
                    loads[j] += localLoads[j];
                }
            }
        });
        return active;
    }

    private static long RouteCapped(CandidateKernel kernel, int k, RouterOptions options, int[] capacities,
        int[] routes, int[] loads, out long unfilledByCapacity)
    {
        PhaseLayout layout = kernel.Layout;
        int rows = layout.R;
        int columns = layout.C;
        float[]? scores = options.Scores;
        int[]? limits = options.SourceLimits;
        ulong seed = options.Seed;
        int[] order;
        int[]? eligibleCounts = null;

        if (scores is not null)
        {
            // Phase A, parallel: each source's uncapped top list, which is also its priority key (best score).
            eligibleCounts = new int[rows];
            var keys = new ulong[rows];
            ParallelRows.For(rows, (long)rows * (k + 16), options.MaxDegreeOfParallelism, (from, to) =>
            {
                var buffer = new int[Math.Max(1, layout.MaxCandidates)];
                for (int i = from; i < to; i++)
                {
                    int limit = limits is null ? k : limits[i];
                    Span<int> slots = routes.AsSpan(i * k, k);
                    int count = kernel.Enumerate(i, buffer);
                    int taken = RowSelector.SelectTopScores(buffer.AsSpan(0, count), scores, i * columns, limit, slots, out int eligible);
                    slots[taken..].Fill(-1);
                    eligibleCounts[i] = eligible;
                    float best = taken == 0 ? float.NegativeInfinity : scores[i * columns + slots[0]];
                    keys[i] = PriorityKey(best, i);
                }
            });
            Array.Sort(keys);
            order = new int[rows];
            for (int m = 0; m < rows; m++)
            {
                order[m] = (int)(uint)keys[m];
            }
        }
        else
        {
            order = PhaseRandom.Permutation(seed, PhaseRandom.PriorityDomain, rows);
        }

        // Phase B, sequential in priority order: the only part where one source's choice affects another's.
        var buffer = new int[Math.Max(1, layout.MaxCandidates)];
        long active = 0;
        long lost = 0;
        foreach (int i in order)
        {
            int limit = limits is null ? k : limits[i];
            Span<int> slots = routes.AsSpan(i * k, k);
            int taken;
            int reachable;
            if (scores is not null)
            {
                reachable = Math.Min(limit, eligibleCounts![i]);
                taken = TakePreferred(slots, reachable, loads, capacities);
                if (taken < 0)
                {
                    // A preferred target is full: rank the candidates that still have room.
                    int count = kernel.Enumerate(i, buffer);
                    int open = 0;
                    for (int c = 0; c < count; c++)
                    {
                        int j = buffer[c];
                        if (loads[j] < capacities[j])
                        {
                            buffer[open++] = j;
                        }
                    }

                    taken = RowSelector.SelectTopScores(buffer.AsSpan(0, open), scores, i * columns, limit, slots, out _);
                    for (int t = 0; t < taken; t++)
                    {
                        loads[slots[t]]++;
                    }
                }
            }
            else
            {
                int count = kernel.Enumerate(i, buffer);
                reachable = Math.Min(limit, count);
                taken = RowSelector.SelectRandomWithCapacity(buffer.AsSpan(0, count), limit, seed, i, loads, capacities, slots);
            }

            slots[taken..].Fill(-1);
            active += taken;
            lost += reachable - taken;
        }

        unfilledByCapacity = lost;
        return active;
    }

    /// <summary>
    /// Accepts the source's uncapped top list when every target on it has room (then greedy serving would pick
    /// exactly that list); returns -1, changing nothing, when one is full.
    /// </summary>
    private static int TakePreferred(Span<int> slots, int count, int[] loads, int[] capacities)
    {
        for (int t = 0; t < count; t++)
        {
            int j = slots[t];
            if (loads[j] >= capacities[j])
            {
                return -1;
            }
        }

        for (int t = 0; t < count; t++)
        {
            loads[slots[t]]++;
        }

        return count;
    }

    /// <summary>
    /// A key whose ascending order is: best score descending, then source index ascending. The score's bits are
    /// mapped to an unsigned integer that orders like the float, then inverted.
    /// </summary>
    private static ulong PriorityKey(float best, int row)
    {
        uint bits = BitConverter.SingleToUInt32Bits(best);
        uint ordered = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)~ordered << 32) | (uint)row;
    }
}
