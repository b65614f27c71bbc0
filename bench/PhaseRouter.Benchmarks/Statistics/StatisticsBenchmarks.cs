using BenchmarkDotNet.Attributes;
using PhaseRouter.Statistics;

namespace PhaseRouter.Benchmarks.Statistics;

/// <summary>
/// The seed-averaged statistics at SPEC §5 size: N = 4096 sources and targets, k = 512, degrees uniform in [1, k],
/// 32 samples (target: <see cref="MonteCarlo"/> ≤ 0.5 s); and capacity planning from 1000 recorded MoE steps.
/// Run with <c>-- --filter *StatisticsBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class StatisticsBenchmarks
{
    public const int N = 4096;
    public const int K = 512;
    public const int Samples = 32;

    private int[] _sourceDegrees = null!;
    private int[] _targetDegrees = null!;
    private long[][] _steps = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_sourceDegrees, _targetDegrees) = Degrees();
        _steps = RecordedSteps();
    }

    /// <summary>Degrees uniform in [1, k], as in SPEC §5.</summary>
    public static (int[] SourceDegrees, int[] TargetDegrees) Degrees()
    {
        var rng = new Random(2);
        return (Enumerable.Range(0, N).Select(_ => rng.Next(1, K + 1)).ToArray(),
            Enumerable.Range(0, N).Select(_ => rng.Next(1, K + 1)).ToArray());
    }

    /// <summary>1000 steps of 8192 tokens, k = 2 over 64 experts, as a capacity-1.25 spill gate's monitor records them.</summary>
    public static long[][] RecordedSteps()
    {
        const int tokens = 8192;
        const int experts = 64;
        var rng = new Random(4);
        int[] s = Enumerable.Repeat(experts, tokens).ToArray();
        int[] t = Enumerable.Repeat(tokens, experts).ToArray();
        return Enumerable.Range(0, 1000).Select(step =>
        {
            var scores = new float[tokens * experts];
            for (int x = 0; x < scores.Length; x++)
            {
                // A few popular experts, as an unbalanced learned gate has.
                scores[x] = (float)(rng.NextDouble() + (x % experts < 4 ? 0.3 : 0.0));
            }

            RoutingResult r = Router.RouteDegrees(s, t, 2, new RouterOptions { Seed = (ulong)step, Scores = scores });
            return r.TargetLoads.ToArray().Select(load => (long)load).ToArray();
        }).ToArray();
    }

    [Benchmark(Baseline = true)]
    public MonteCarloStats MonteCarlo() => RoutingStatistics.MonteCarlo(_sourceDegrees, _targetDegrees, K, Samples);

    [Benchmark]
    public LoadSamples SampleMany() => RoutingStatistics.SampleMany(_sourceDegrees, _targetDegrees, K, Samples);

    [Benchmark]
    public LoadExpectation ExpectedLoads() => RoutingStatistics.ExpectedLoads(_sourceDegrees, _targetDegrees, K);

    [Benchmark]
    public CapacityEstimate EstimateCapacity() =>
        RoutingStatistics.EstimateCapacity(_sourceDegrees, _targetDegrees, K, 0.95, Samples);

    [Benchmark]
    public CapacityPlan PlanFromRecordedSteps() => RoutingStatistics.EstimateCapacity(_steps, 8192, 2, [0.0, 0.01], 1.25);
}
