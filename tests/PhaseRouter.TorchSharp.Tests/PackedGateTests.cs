using PhaseRouter.Gating;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

public sealed class PackedGateTests
{
    private const int ModelDim = 6;

    /// <summary>The gate is a thin adapter: its plan holds Core's packing and routes of the same logits.</summary>
    [Fact]
    public void PlanCarriesThePackedMatrices_AndCoresRoutes()
    {
        var options = new MoeGateOptions { Experts = 8, K = 2, MenuSize = 8, CapacityFactor = 1.0, Policy = GatePolicy.Packed, BaseSeed = 5 };
        using var gate = new PhaseRouterGate(ModelDim, options);
        gate.eval();
        using var scope = NewDisposeScope();
        var x = TestGates.PositiveTokens(70, ModelDim);
        using var plan = gate.call(x);
        float[] logits = gate.Projection.call(x).detach().data<float>().ToArray();
        var ws = new GateWorkspace();
        GateRouting.Packed(logits, 8, 2, 8, options.EffectiveAcceptanceDepth, plan.Capacity, 5, ws);
        Assert.Equal(4, options.EffectiveAcceptanceDepth); // ⌈2·2·8/8⌉
        Assert.Equal(ws.Pack!.Sources, plan.PackedSources);
        Assert.Equal(ws.Pack.Targets, plan.PackedTargets);
        Assert.Equal(ws.Routes.ToArray(), plan.GetRoutes());
        Assert.Equal(70, plan.PackedSources!.Rows);
        Assert.Equal(8, plan.PackedTargets!.Rows);
        Assert.True(plan.MaxLoad <= plan.Capacity);
        Assert.Equal(0, plan.DroppedSlots); // E · C ≥ tokens · k: the completion fills every slot
    }

    [Fact]
    public void OtherPoliciesCarryNoPackedMatrices()
    {
        using var gate = new PhaseRouterGate(ModelDim, new MoeGateOptions { Experts = 4 });
        using var scope = NewDisposeScope();
        using var plan = gate.call(TestGates.PositiveTokens(10, ModelDim));
        Assert.Null(plan.PackedSources);
        Assert.Null(plan.PackedTargets);
    }

    [Fact]
    public void PackedDefaults_AreTheSquareRootMenuAndAMatchingDepth()
    {
        var options = new MoeGateOptions { Experts = 64, K = 2, Policy = GatePolicy.Packed };
        Assert.Equal(16, options.EffectivePackedMenuSize);
        Assert.Equal(16, options.EffectiveAcceptanceDepth);
        Assert.Equal(4, options.EffectiveMenuSize); // the menu policy's default is unchanged
        Assert.Equal(8, (options with { MenuSize = 8 }).EffectivePackedMenuSize);
        Assert.Equal(32, (options with { MenuSize = 8 }).EffectiveAcceptanceDepth);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void AcceptanceDepthOutOfRange_IsRejected(int depth)
    {
        var options = new MoeGateOptions { Experts = 4, Policy = GatePolicy.Packed, AcceptanceDepth = depth };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.Equal(nameof(MoeGateOptions.AcceptanceDepth), error.ParamName);
    }
}
