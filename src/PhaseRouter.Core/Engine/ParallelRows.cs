namespace PhaseRouter.Engine;

/// <summary>
/// Splits <c>[0, rows)</c> into contiguous chunks and runs them in parallel. Chunks own disjoint rows, so the
/// output never depends on the thread count; small jobs run inline to avoid scheduling costs.
/// </summary>
internal static class ParallelRows
{
    /// <summary>Work (in rough word operations) below which a job runs on the calling thread.</summary>
    private const long InlineWork = 1 << 18;

    private static int ThreadCount(int maxDegreeOfParallelism) =>
        maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount);

    /// <summary>How many chunks <see cref="For"/> splits a job into (1 when it runs inline).</summary>
    public static int ChunkCount(int rows, long work, int maxDegreeOfParallelism)
    {
        int threads = ThreadCount(maxDegreeOfParallelism);
        return threads <= 1 || work < InlineWork || rows < 2 ? 1 : Math.Min(rows, threads * 4);
    }

    public static void For(int rows, long work, int maxDegreeOfParallelism, Action<int, int> body)
    {
        int threads = ThreadCount(maxDegreeOfParallelism);
        if (threads <= 1 || work < InlineWork || rows < 2)
        {
            body(0, rows);
            return;
        }

        // A few chunks per thread balance rows of uneven cost.
        int chunks = Math.Min(rows, threads * 4);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, chunks, options, c =>
        {
            int from = (int)((long)rows * c / chunks);
            int to = (int)((long)rows * (c + 1) / chunks);
            body(from, to);
        });
    }
}
