using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary><see cref="MoeLayer"/> with experts the caller builds.</summary>
public sealed class CustomExpertTests
{
    private const int ModelDim = 6;

    [Fact]
    public void AFactorysExperts_AreTheOnesApplied()
    {
        manual_seed(3);
        var options = new MoeGateOptions { Experts = 3, K = 2, CapacityFactor = 1.0 };
        var built = new List<int>();
        using var layer = new MoeLayer(new PhaseRouterGate(ModelDim, options), e =>
        {
            built.Add(e);
            return nn.Sequential(("scale", nn.Linear(ModelDim, ModelDim, hasBias: false)), ("act", nn.Tanh()));
        });
        Assert.Equal([0, 1, 2], built);
        Assert.All(layer.Experts, e => Assert.IsType<Sequential>(e));
        Assert.Equal(3, layer.Experts.Count);
        // The experts' parameters belong to the layer (an optimizer over layer.parameters() trains them).
        Assert.Equal(1 + 3, layer.parameters().Count());
        AssertMatchesNaiveLoop(layer, k: 2);
    }

    [Fact]
    public void GivenExperts_AreUsedInGateOrder()
    {
        manual_seed(4);
        var options = new MoeGateOptions { Experts = 3, K = 1, CapacityFactor = 2.0 };
        // Expert e multiplies by e + 1: each token's output is its combine weight times (e + 1) times itself.
        nn.Module<Tensor, Tensor>[] experts = [.. Enumerable.Range(0, 3).Select(e => (nn.Module<Tensor, Tensor>)new Scale(e + 1))];
        using var layer = new MoeLayer(new TopKSoftmaxGate(ModelDim, options), experts);
        using var scope = NewDisposeScope();
        var x = randn(20, ModelDim);
        var y = layer.call(x);
        var plan = layer.LastPlan!;
        for (int t = 0; t < 20; t++)
        {
            int e = plan.ExpertOf(t, 0);
            var expected = x[t] * (e + 1) * plan.CombineWeights[t, 0];
            Assert.True(y[t].allclose(expected, rtol: 1e-5, atol: 1e-6), $"token {t}");
        }
    }

    [Fact]
    public void ExpertsThatDoNotFitTheGate_AreRejected()
    {
        var options = new MoeGateOptions { Experts = 3, K = 1 };
        using var gate = new PhaseRouterGate(ModelDim, options);
        var one = new Scale(1);
        Assert.Equal("experts", Assert.Throws<ArgumentException>(() => new MoeLayer(gate, [one, new Scale(2)])).ParamName);
        Assert.Contains("same module", Assert.Throws<ArgumentException>(() => new MoeLayer(gate, [one, one, new Scale(3)])).Message);
        Assert.Contains("null", Assert.Throws<ArgumentException>(() => new MoeLayer(gate, _ => null!)).Message);
    }

    private static void AssertMatchesNaiveLoop(MoeLayer layer, int k)
    {
        using var scope = NewDisposeScope();
        var x = randn(15, ModelDim);
        var y = layer.call(x);
        var plan = layer.LastPlan!;
        var expected = zeros(15, ModelDim);
        for (int t = 0; t < 15; t++)
        {
            for (int s = 0; s < k; s++)
            {
                int e = plan.ExpertOf(t, s);
                if (e >= 0)
                {
                    expected[t] += layer.Experts[e].call(x[t].unsqueeze(0)).squeeze(0) * plan.CombineWeights[t, s];
                }
            }
        }

        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    /// <summary>A parameter-free expert: multiplies its input by a constant.</summary>
    private sealed class Scale(float factor) : nn.Module<Tensor, Tensor>(nameof(Scale))
    {
        public override Tensor forward(Tensor input) => input * factor;
    }
}
