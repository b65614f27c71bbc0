using BenchmarkDotNet.Attributes;
using PhaseRouter.Benchmarks.Inputs;

namespace PhaseRouter.Benchmarks.Operator;

/// <summary>One Router call on SPEC §5 inputs, per input form.</summary>
[MemoryDiagnoser]
public class OperatorBenchmarks
{
    private Section5Input _input = null!;
    private byte[,] _denseS = null!;
    private byte[,] _denseT = null!;
    private readonly RouterOptions _options = new() { Seed = 1 };

    [Params(1024, 4096, 16384)]
    public int N { get; set; }

    [Params(64, 512)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = Section5Input.Create(N, K);
        (_denseS, _denseT) = _input.Dense();
    }

    [Benchmark(Baseline = true)]
    public RoutingResult Packed() => Router.Route(_input.Sources, _input.Targets, K, _options);

    [Benchmark]
    public RoutingResult Degrees() => Router.RouteDegrees(_input.SourceDegrees, _input.TargetDegrees, K, _options);

    [Benchmark]
    public RoutingResult Dense() => Router.Route(_denseS, _denseT, K, _options);

    [Benchmark]
    public RoutingResult BitParallelKernel() =>
        Router.RouteDegrees(_input.SourceDegrees, _input.TargetDegrees, K, _options with { Kernel = RouterKernel.BitParallel });
}
