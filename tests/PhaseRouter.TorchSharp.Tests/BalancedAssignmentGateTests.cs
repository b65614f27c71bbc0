using PhaseRouter.Gating;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>The balanced-assignment gate: capacity, no drops at cf ≥ 1, and a total logit no other gate beats.</summary>
public sealed class BalancedAssignmentGateTests
{
    private const int ModelDim = 6;

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(2, 0.75)]
    public void Plan_RespectsCapacity_AndBeatsSpillOnTotalLogit(int k, double capacityFactor)
    {
        var options = new MoeGateOptions { Experts = 6, K = k, CapacityFactor = capacityFactor };
        using var gate = new BalancedAssignmentGate(ModelDim, options);
        using var spill = new PhaseRouterGate(ModelDim, options);
        TestGates.MakeAdversarial(gate);
        using (no_grad())
        {
            spill.Projection.weight!.copy_(gate.Projection.weight!);
        }

        using var scope = NewDisposeScope();
        var x = TestGates.PositiveTokens(50, ModelDim);
        using var plan = gate.call(x);
        using var spilled = spill.call(x);
        Assert.Equal(new long[] { 50, k }, plan.ExpertIndices.shape);
        Assert.All(plan.GetExpertLoads(), load => Assert.InRange(load, 0, plan.Capacity));
        long room = 6L * Math.Min(plan.Capacity, 50);
        Assert.Equal((int)Math.Max(0, 50L * k - room), plan.DroppedSlots);

        float[] logits = gate.Projection.call(x).data<float>().ToArray();
        double Total(RoutingPlan p) => p.GetRoutes().Select((e, slot) => e < 0 ? 0.0 : logits[slot / k * 6 + e]).Sum();
        Assert.True(spilled.RoutedSlots <= plan.RoutedSlots);
        if (spilled.RoutedSlots == plan.RoutedSlots)
        {
            Assert.True(Total(plan) >= Total(spilled) - 1e-4, $"balanced {Total(plan)} < spill {Total(spilled)}");
        }

        float[] probabilities = gate.Projection.call(x).softmax(1).data<float>().ToArray();
        float[] weights = plan.CombineWeights.data<float>().ToArray();
        int[] routes = plan.GetRoutes();
        for (int slot = 0; slot < routes.Length; slot++)
        {
            Assert.Equal(routes[slot] < 0 ? 0f : probabilities[slot / k * 6 + routes[slot]], weights[slot], 1e-6f);
        }
    }

    [Fact]
    public void Layer_Trains_WithGradientsIntoTheGate()
    {
        manual_seed(2);
        var options = new MoeGateOptions { Experts = 4, K = 2, CapacityFactor = 1.0 };
        using var layer = new MoeLayer(new BalancedAssignmentGate(ModelDim, options), ModelDim, 8, 4);
        layer.train();
        using var scope = NewDisposeScope();
        var y = layer.call(randn(30, ModelDim));
        Assert.Equal(0, layer.LastPlan!.DroppedSlots);
        y.pow(2).sum().backward();
        var grad = ((BalancedAssignmentGate)layer.Gate).Projection.weight!.grad;
        Assert.NotNull(grad);
        Assert.True(grad!.abs().sum().item<float>() > 0);
    }
}
