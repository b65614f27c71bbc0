using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>The documented lifetime rules of the objects that cross a dispose scope on purpose.</summary>
public sealed class LifetimeTests
{
    [Fact]
    public void LastPlanLivesUntilTheNextForwardWhoseTensorsThenThrowButWhoseManagedCopiesStay()
    {
        manual_seed(21);
        using var layer = new MoeLayer(new PhaseRouterGate(6, new MoeGateOptions { Experts = 4, K = 2 }), 6, 8, 4);
        using var scope = NewDisposeScope();
        layer.call(randn(12, 6));
        var first = layer.LastPlan!;
        var loads = first.GetExpertLoads();
        Assert.Equal(loads.Sum(), (int)first.ExpertLoads.sum().item<long>());

        layer.call(randn(12, 6));
        Assert.NotSame(first, layer.LastPlan);
        Assert.Throws<InvalidOperationException>(() => first.ExpertLoads.sum());
        Assert.Throws<InvalidOperationException>(() => first.CombineWeights.sum());
        Assert.Equal(loads, first.GetExpertLoads());
        Assert.Equal(12 * 2 - loads.Sum(), first.DroppedSlots);
    }

    [Fact]
    public void LastPlanSurvivesTheCallersScopeAndDiesWithTheLayer()
    {
        manual_seed(22);
        var layer = new MoeLayer(new TopKSoftmaxGate(6, new MoeGateOptions { Experts = 4 }), 6, 8, 4);
        using (NewDisposeScope())
        {
            layer.call(randn(10, 6));
        }

        var plan = layer.LastPlan!;
        Assert.Equal(10, (int)plan.ExpertIndices.shape[0]);
        Assert.True(plan.AuxLoss.item<float>() > 0);
        layer.Dispose();
        Assert.Throws<InvalidOperationException>(() => plan.ExpertIndices.sum());
    }

    [Fact]
    public void BackwardOfAnOutputStillWorksAfterTheNextForwardDisposedItsPlan()
    {
        // Gradient accumulation: two forwards, then one backward through both outputs.
        manual_seed(23);
        var options = new MoeGateOptions { Experts = 4, K = 2 };
        using var layer = new MoeLayer(new PhaseRouterGate(6, options), 6, 8, 4);
        using var scope = NewDisposeScope();
        var x1 = randn(12, 6);
        var x2 = randn(12, 6);

        var expected = GateGradient(layer, () => layer.call(x1).square().sum(), () => layer.call(x2).square().sum(), together: false);
        var actual = GateGradient(layer, () => layer.call(x1).square().sum(), () => layer.call(x2).square().sum(), together: true);
        Assert.True(actual.abs().sum().item<float>() > 0, "the gate should get a gradient through the combine weights");
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void APlanReturnedIntoTheCallersScopeDiesWithThatScope()
    {
        manual_seed(24);
        using var gate = new HashGate(4, new MoeGateOptions { Experts = 3 });
        RoutingPlan plan;
        using (NewDisposeScope())
        {
            plan = gate.call(randn(9, 4));
            Assert.Equal(9, (int)plan.ExpertIndices.shape[0]);
        }

        Assert.Throws<InvalidOperationException>(() => plan.ExpertIndices.sum());
        Assert.Equal(9, plan.Tokens);
    }

    /// <summary>The gate projection's gradient of loss1 + loss2, each backward right after its forward or both at the end.</summary>
    private static Tensor GateGradient(MoeLayer layer, Func<Tensor> loss1, Func<Tensor> loss2, bool together)
    {
        var weight = ((PhaseRouterGate)layer.Gate).Projection.weight!;
        weight.grad?.zero_();
        // Same routing seeds both times: the gate's step counter advances per training batch.
        layer.Gate.Step = 0;
        if (together)
        {
            var first = loss1();
            var second = loss2();
            (first + second).backward();
        }
        else
        {
            loss1().backward();
            loss2().backward();
        }

        return weight.grad!.clone();
    }
}
