using BenchmarkDotNet.Attributes;
using PhaseRouter.TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.Benchmarks.Gate;

/// <summary>
/// Gate and MoE-layer forward per gate kind at tokens=8192, E=64, k=2, modelDim=256, hidden=512 (training mode,
/// autograd on). Run with <c>-- --filter *GateBenchmarks*</c>; the `gate` command gives the routing share directly.
/// </summary>
[MemoryDiagnoser]
public class GateBenchmarks
{
    private Tensor _x = null!;
    private MoeLayer _layer = null!;

    [Params("phase-spill", "phase-bias", "phase-menu", "phase-oblivious", "phase-packed", "topk-softmax", "lossfree", "expert-choice", "balanced", "hash")]
    public string Gate { get; set; } = "phase-spill";

    [GlobalSetup]
    public void Setup()
    {
        _x = GateSetup.Tokens0();
        _layer = new MoeLayer(GateSetup.Create(Gate), GateSetup.ModelDim, 512, GateSetup.Experts);
        _layer.train();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _layer.Dispose();
        _x.Dispose();
    }

    [Benchmark]
    public int GateForward()
    {
        using var scope = NewDisposeScope();
        using var plan = _layer.Gate.call(_x);
        return plan.DroppedSlots;
    }

    [Benchmark]
    public long LayerForward()
    {
        using var scope = NewDisposeScope();
        return _layer.call(_x).shape[0];
    }
}
