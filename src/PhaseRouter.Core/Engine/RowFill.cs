namespace PhaseRouter.Engine;

/// <summary>
/// Fills the R·k route slots source by source, in parallel chunks of rows: a row router writes a source's chosen
/// targets into its k slots and returns how many; the rest are padded with -1. Loads and the active-route count are
/// summed per chunk and merged once, so neither depends on the thread count.
/// </summary>
internal static class RowFill
{
    /// <summary>Routes one source into <paramref name="slots"/> (at most <paramref name="limit"/>) and returns how many.</summary>
    public delegate int RowRouter<in TScratch>(int row, int limit, Span<int> slots, TScratch scratch);

    /// <returns>The number of filled slots.</returns>
    public static long Run<TScratch>(int rows, int columns, int k, int[]? limits, long work, int maxDegreeOfParallelism,
        Memory<int> routes, int[] loads, Func<TScratch> scratch, RowRouter<TScratch> routeRow)
    {
        long active = 0;
        object gate = new();
        ParallelRows.For(rows, work, maxDegreeOfParallelism, (from, to) =>
        {
            TScratch chunkScratch = scratch();
            int[] localLoads = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, columns));
            Array.Clear(localLoads, 0, columns);
            long localActive = 0;
            Span<int> all = routes.Span;
            for (int i = from; i < to; i++)
            {
                Span<int> slots = all.Slice(i * k, k);
                int taken = routeRow(i, limits is null ? k : limits[i], slots, chunkScratch);
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

            System.Buffers.ArrayPool<int>.Shared.Return(localLoads);
        });
        return active;
    }
}
