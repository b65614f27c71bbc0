using BenchmarkDotNet.Attributes;
using PhaseRouter.Gating;

namespace PhaseRouter.Benchmarks.Statistics;

/// <summary>
/// One capacity-bounded, score-ranked Router call at MoE size: R = 16384 sources (tokens), C = 64 targets (experts),
/// k = 2, random scores, capacity ⌈1.25·R·k/C⌉ = 640 per target; every target accepts every source. Source degree 64
/// is top-k among all targets; 8 is a menu of 8. Target: ≤ 1 ms per call.
/// Run with <c>-- --filter *CapacityBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class CapacityBenchmarks
{
    public const int Sources = 16384;
    public const int Targets = 64;
    public const int K = 2;

    private int[] _sourceDegrees = null!;
    private int[] _targetDegrees = null!;
    private int[] _routes = null!;
    private RouterOptions _options = null!;

    [Params(64, 8)]
    public int SourceDegree { get; set; } = 64;

    [Params(1, -1)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        (_sourceDegrees, _targetDegrees, _options) = Create(SourceDegree, Threads);
        _routes = new int[Sources * K];
    }

    /// <summary>The inputs of the benchmark, also used by <see cref="StatisticsTable"/>.</summary>
    public static (int[] SourceDegrees, int[] TargetDegrees, RouterOptions Options) Create(int sourceDegree, int threads)
    {
        var rng = new Random(1);
        var scores = new float[Sources * Targets];
        for (int x = 0; x < scores.Length; x++)
        {
            scores[x] = (float)rng.NextDouble();
        }

        int capacity = ExpertCapacity.Of(1.25, Sources, K, Targets);
        return (Enumerable.Repeat(sourceDegree, Sources).ToArray(), Enumerable.Repeat(Sources, Targets).ToArray(),
            new RouterOptions
            {
                Seed = 3,
                Scores = scores,
                TargetCapacities = Enumerable.Repeat(capacity, Targets).ToArray(),
                MaxDegreeOfParallelism = threads,
            });
    }

    [Benchmark(Baseline = true)]
    public RoutingResult ScoresAndCapacities() => Router.RouteDegrees(_sourceDegrees, _targetDegrees, K, _options);

    [Benchmark]
    public RoutingResult ScoresAndCapacities_CallerBuffer() =>
        Router.RouteDegrees(_sourceDegrees, _targetDegrees, K, _routes, _options);

    [Benchmark]
    public RoutingResult ScoresOnly() =>
        Router.RouteDegrees(_sourceDegrees, _targetDegrees, K, _options with { TargetCapacities = null });

    [Benchmark]
    public RoutingResult CapacitiesOnly() =>
        Router.RouteDegrees(_sourceDegrees, _targetDegrees, K, _options with { Scores = null });
}
