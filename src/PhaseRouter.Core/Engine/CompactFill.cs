using System.Buffers;

namespace PhaseRouter.Engine;

/// <summary>
/// Routes sources into compact storage, in parallel chunks of rows. Each chunk writes its rows' targets one after
/// another into a pooled staging array (grown when a row might not fit) and each row's count into the offsets; once
/// every chunk is done the counts become offsets and the chunks are copied into place. Work and memory are
/// O(rows + C + routes), never O(rows · k), and nothing depends on the thread count.
/// </summary>
internal static class CompactFill
{
    private sealed class Chunk(int from, int[] staging, int used)
    {
        public int From { get; } = from;

        public int[] Staging { get; } = staging;

        public int Used { get; } = used;
    }

    /// <summary>Fills <paramref name="output"/> (offsets, targets and loads) for rows <c>[0, rows)</c>.</summary>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">C: no row has more routes than this.</param>
    /// <param name="k">The fan-out bound.</param>
    /// <param name="limits">Per-row limits (indexed by row), or null for k each.</param>
    /// <param name="work">Rough cost, which decides whether to run in parallel.</param>
    /// <param name="expectedRoutes">A guess of the total, for the first staging size (growth covers a low guess).</param>
    /// <param name="maxDegreeOfParallelism">Thread bound.</param>
    /// <param name="output">Receives the routes.</param>
    /// <param name="scratch">Makes one chunk's scratch.</param>
    /// <param name="routeRow">Routes one row into its slots and returns how many it took.</param>
    /// <param name="release">Gives a chunk's scratch back (to a pool), or null.</param>
    public static void Run<TScratch>(int rows, int columns, int k, int[]? limits, long work, long expectedRoutes,
        int maxDegreeOfParallelism, CompactOutput output, Func<TScratch> scratch, RowFill.RowRouter<TScratch> routeRow,
        Action<TScratch>? release = null)
    {
        int[] offsets = output.Offsets;
        int[] loads = output.Loads;
        int room = Math.Min(k, columns);
        var chunks = new List<Chunk>();

        // Loads: per-chunk counts merged under a lock cost chunks · C; one pass over the finished targets costs the
        // route count. Take the cheaper (both give the same sums).
        bool countPerChunk = expectedRoutes > (long)ParallelRows.ChunkCount(rows, work, maxDegreeOfParallelism) * columns;
        ParallelRows.For(rows, work, maxDegreeOfParallelism, (from, to) =>
        {
            TScratch chunkScratch = scratch();
            int[] localLoads = countPerChunk ? ArrayPool<int>.Shared.Rent(Math.Max(1, columns)) : [];
            Array.Clear(localLoads, 0, countPerChunk ? columns : 0);
            long guess = rows == 0 ? 0 : expectedRoutes * (to - from) / rows;
            int[] staging = ArrayPool<int>.Shared.Rent((int)Math.Min(Array.MaxLength, guess + guess / 4 + room + 64));
            int used = 0;
            for (int i = from; i < to; i++)
            {
                int limit = limits is null ? k : limits[i];
                int rowRoom = Math.Min(limit, room);
                if (staging.Length - used < rowRoom)
                {
                    staging = Grow(staging, used, rowRoom);
                }

                Span<int> slots = staging.AsSpan(used, rowRoom);
                int taken = routeRow(i, limit, slots, chunkScratch);
                if (countPerChunk)
                {
                    for (int t = 0; t < taken; t++)
                    {
                        localLoads[slots[t]]++;
                    }
                }

                offsets[i + 1] = taken;
                used += taken;
            }

            lock (chunks)
            {
                chunks.Add(new Chunk(from, staging, used));
                for (int j = 0; countPerChunk && j < columns; j++)
                {
                    loads[j] += localLoads[j];
                }
            }

            if (countPerChunk)
            {
                ArrayPool<int>.Shared.Return(localLoads);
            }

            release?.Invoke(chunkScratch);
        });

        output.AllocateTargets(rows);
        int[] targets = output.Targets;
        foreach (Chunk chunk in chunks)
        {
            chunk.Staging.AsSpan(0, chunk.Used).CopyTo(targets.AsSpan(offsets[chunk.From]));
            ArrayPool<int>.Shared.Return(chunk.Staging);
        }

        if (!countPerChunk)
        {
            foreach (int j in targets.AsSpan(0, offsets[rows]))
            {
                loads[j]++;
            }
        }
    }

    private static int[] Grow(int[] staging, int used, int rowRoom)
    {
        long size = Math.Min(Array.MaxLength, Math.Max((long)used + rowRoom, 2L * staging.Length));
        if (size < (long)used + rowRoom)
        {
            throw new ArgumentException(
                $"The routes of one chunk of sources exceed the largest array ({Array.MaxLength}); route them in shards (Router.RouteShard).");
        }

        int[] larger = ArrayPool<int>.Shared.Rent((int)size);
        staging.AsSpan(0, used).CopyTo(larger);
        ArrayPool<int>.Shared.Return(staging);
        return larger;
    }
}
