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
    private readonly RouteBuffers _buffers = new();
    private int[] _padded = null!;

    [Params(1024, 4096, 16384)]
    public int N { get; set; }

    [Params(64, 512)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = Section5Input.Create(N, K);
        (_denseS, _denseT) = _input.Dense();
        _padded = new int[N * K];
    }

    [Benchmark(Baseline = true)]
    public RoutingResult Packed() => Router.Route(_input.Sources, _input.Targets, K, _options);

    [Benchmark]
    public RoutingResult Degrees() => Router.RouteDegrees(_input.SourceDegrees, _input.TargetDegrees, K, _options);

    /// <summary>Degrees into reused compact buffers: the memory diagnoser shows the steady state's allocation.</summary>
    [Benchmark]
    public RoutingResult DegreesCompactBuffers() => Router.RouteDegrees(_input.SourceDegrees, _input.TargetDegrees, K, _buffers, _options);

    /// <summary>Degrees into a reused padded R·k buffer (the original's format).</summary>
    [Benchmark]
    public RoutingResult DegreesPaddedBuffer() => Router.RouteDegrees(_input.SourceDegrees, _input.TargetDegrees, K, _padded, _options);

    [Benchmark]
    public RoutingResult Dense() => Router.Route(_denseS, _denseT, K, _options);

    [Benchmark]
    public RoutingResult BitParallelKernel() =>
        Router.RouteDegrees(_input.SourceDegrees, _input.TargetDegrees, K, _options with { Kernel = RouterKernel.BitParallel });
}
