using System.Diagnostics;
using Spectre.Console;

namespace PhaseRouter.Benchmarks.Sharding;

/// <summary>
/// The `shards` command: routes a problem too large for one call (default 10^8 sources × 4096 targets, k = 4) shard
/// by shard, as separate workers would, holding only what a worker holds: the shard's degrees, the running sum of the
/// degrees before it, the C target degrees and one set of reused compact buffers. Inputs are synthetic and made per
/// shard: source i offers 1 + (hash(i) mod 8) targets; target j accepts between R/2 and R sources (hash of j).
/// Reports the median and total routing time, the process's peak working set and the balance of the summed loads.
/// </summary>
public static class ShardTable
{
    public static void Run(int sources, int targets, int k, int shardSize, int? shardLimit, PermutationMethod method)
    {
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 140);
        int shardCount = (int)(((long)sources + shardSize - 1) / shardSize);
        int routed = Math.Min(shardCount, shardLimit ?? shardCount);
        var options = new RouterOptions { Seed = 1, PermutationMethod = method };
        int[] targetDegrees = TargetDegrees(sources, targets);
        var degrees = new int[Math.Min(shardSize, sources)];
        var buffers = new RouteBuffers();
        var loads = new long[targets];

        // Warm-up on a small shard of the same problem, so the first timed shard is not a JIT measurement.
        FillDegrees(0, degrees.AsSpan(0, Math.Min(1000, degrees.Length)));
        Router.RouteShard(sources, 0, degrees.AsSpan(0, Math.Min(1000, degrees.Length)), 0, targetDegrees, k, buffers, options);

        var times = new List<double>();
        long routes = 0;
        long before = 0;
        var wall = Stopwatch.StartNew();
        for (int s = 0; s < routed; s++)
        {
            int first = (int)((long)s * shardSize);
            int length = (int)Math.Min(shardSize, (long)sources - first);
            Span<int> shard = degrees.AsSpan(0, length);
            FillDegrees(first, shard);
            long t0 = Stopwatch.GetTimestamp();
            RoutingResult result = Router.RouteShard(sources, first, shard, before, targetDegrees, k, buffers, options);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            routes += result.ActiveRoutes;
            ReadOnlySpan<int> shardLoads = result.TargetLoads;
            for (int j = 0; j < targets; j++)
            {
                loads[j] += shardLoads[j];
            }

            foreach (int d in shard)
            {
                before += d;
            }
        }

        wall.Stop();
        double routingSeconds = times.Sum() / 1000;
        times.Sort();
        double median = times[times.Count / 2];
        double meanLoad = loads.Average();
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        bool extrapolated = routed < shardCount;

        AnsiConsole.MarkupLine($"[grey]{Environment.ProcessorCount} cores, .NET {Environment.Version}, permutation {method}, R {sources:N0}, C {targets}, k {k}, shard {shardSize:N0}[/]");
        var table = new Table().Border(TableBorder.Markdown).AddColumns("figure", "value");
        table.AddRow("shards routed", $"{routed} of {shardCount}");
        table.AddRow("sources routed", $"{Math.Min((long)routed * shardSize, sources):N0}");
        table.AddRow("routes", $"{routes:N0}");
        table.AddRow("median ms per shard", median.ToString("F1"));
        table.AddRow("routing s (sum of shard calls)", routingSeconds.ToString("F2"));
        table.AddRow("wall s (with making the inputs)", wall.Elapsed.TotalSeconds.ToString("F2"));
        if (extrapolated)
        {
            table.AddRow("extrapolated routing s, all shards", (routingSeconds / routed * shardCount).ToString("F1"));
        }

        table.AddRow("peak working set MB (whole process)", (peak / 1048576.0).ToString("F0"));
        table.AddRow("route buffers MB", ((buffers.SourceCapacity + 1 + (long)buffers.RouteCapacity) * 4 / 1048576.0).ToString("F1"));
        table.AddRow("max / mean target load" + (extrapolated ? " (routed part)" : ""), (loads.Max() / meanLoad).ToString("F3"));
        AnsiConsole.Write(table);
    }

    /// <summary>Target j accepts between R/2 and R sources.</summary>
    private static int[] TargetDegrees(int sources, int targets)
    {
        var t = new int[targets];
        int half = sources / 2;
        for (int j = 0; j < targets; j++)
        {
            t[j] = half + (int)(SplitMix64.Mix(0xC0FFEEUL ^ (ulong)j) % (ulong)(sources - half + 1));
        }

        return t;
    }

    /// <summary>Source i offers 1 + (hash(i) mod 8) targets.</summary>
    private static void FillDegrees(int first, Span<int> degrees)
    {
        for (int u = 0; u < degrees.Length; u++)
        {
            degrees[u] = 1 + (int)(SplitMix64.Mix((ulong)(first + u)) & 7);
        }
    }
}
