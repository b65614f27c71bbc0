using System.Diagnostics;
using PhaseRouter.Statistics;

namespace PhaseRouter.Benchmarks.Statistics;

/// <summary>
/// A quick Stopwatch table (warm-up, then the median of repeated runs) of the statistics and capacity-routing figures,
/// for a report in seconds rather than BenchmarkDotNet's minutes.
/// </summary>
public static class StatisticsTable
{
    public static void Run()
    {
        Console.WriteLine($"{"what",-62} {"median ms",10}");
        foreach (int degree in new[] { 64, 8 })
        {
            foreach (int threads in new[] { 1, -1 })
            {
                var (s, t, options) = CapacityBenchmarks.Create(degree, threads);
                Row($"Router R=16384 C=64 k=2 scores+capacities, s={degree}, threads={threads}",
                    () => Router.RouteDegrees(s, t, CapacityBenchmarks.K, options), 20, 101);
            }
        }

        var (sd, td) = StatisticsBenchmarks.Degrees();
        Row("Router N=4096 k=512 (one sample, one thread)",
            () => Router.RouteDegrees(sd, td, StatisticsBenchmarks.K, new RouterOptions { MaxDegreeOfParallelism = 1 }), 3, 15);
        Row("MonteCarlo N=4096 k=512, 32 samples", () => RoutingStatistics.MonteCarlo(sd, td, StatisticsBenchmarks.K, 32), 2, 9);
        Row("ExpectedLoads N=4096 k=512", () => RoutingStatistics.ExpectedLoads(sd, td, StatisticsBenchmarks.K), 3, 15);
        long[][] steps = StatisticsBenchmarks.RecordedSteps();
        Row("EstimateCapacity from 1000 steps × 64 experts", () => RoutingStatistics.EstimateCapacity(steps, 8192, 2, [0.0, 0.01], 1.25), 3, 15);
    }

    private static void Row(string what, Action action, int warmUp, int runs)
    {
        for (int w = 0; w < warmUp; w++)
        {
            action();
        }

        var times = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{what,-62} {times[runs / 2],10:F3}");
    }
}
