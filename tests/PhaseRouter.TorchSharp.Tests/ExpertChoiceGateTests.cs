using PhaseRouter.Gating;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>The expert-choice gate: an E-wide plan, every expert full, weights = the chosen probabilities, and a layer that combines it.</summary>
public sealed class ExpertChoiceGateTests
{
    private const int ModelDim = 6;

    [Fact]
    public void Plan_IsEWide_FillsEveryExpert_AndWeighsByTheChosenProbabilities()
    {
        manual_seed(3);
        var options = new MoeGateOptions { Experts = 5, K = 1, CapacityFactor = 1.0 };
        using var gate = new ExpertChoiceGate(ModelDim, options);
        using var scope = NewDisposeScope();
        var x = randn(37, ModelDim);
        using var plan = gate.call(x);
        int capacity = ExpertCapacity.Of(1.0, 37, 1, 5);
        Assert.Equal(5, plan.K);
        Assert.Equal(new long[] { 37, 5 }, plan.ExpertIndices.shape);
        Assert.Equal(new long[] { 37, 5 }, plan.CombineWeights.shape);
        Assert.All(plan.GetExpertLoads(), load => Assert.Equal(capacity, load));
        Assert.Equal(capacity, plan.Capacity);

        // Against the reference on the gate's own probabilities: each expert's top-C tokens, lower token on ties.
        float[] probabilities = gate.Projection.call(x).softmax(1).data<float>().ToArray();
        int[] routes = plan.GetRoutes();
        for (int e = 0; e < 5; e++)
        {
            var expected = Enumerable.Range(0, 37).OrderByDescending(t => probabilities[t * 5 + e]).ThenBy(t => t).Take(capacity).Order();
            var got = Enumerable.Range(0, 37).Where(t => routes.AsSpan(t * 5, 5).Contains(e));
            Assert.Equal(expected, got);
        }

        float[] weights = plan.CombineWeights.data<float>().ToArray();
        for (int slot = 0; slot < routes.Length; slot++)
        {
            float want = routes[slot] < 0 ? 0f : probabilities[slot / 5 * 5 + routes[slot]];
            Assert.Equal(want, weights[slot], 1e-6f);
        }

        int without = Enumerable.Range(0, 37).Count(t => routes[t * 5] < 0);
        Assert.Equal(without, plan.TokensWithoutExpert);
    }

    [Fact]
    public void Layer_CombinesUpToEExpertsPerToken_AndGivesZerosToTokensWithNone()
    {
        manual_seed(8);
        var options = new MoeGateOptions { Experts = 4, K = 1, CapacityFactor = 1.0 };
        using var layer = new MoeLayer(new ExpertChoiceGate(ModelDim, options), ModelDim, 8, 4);
        TestGates.MakeAdversarial(layer.Gate); // every token ranks the experts alike: some get several, some none
        using var scope = NewDisposeScope();
        var x = TestGates.PositiveTokens(24, ModelDim) * randn(24, 1).sign();
        var y = layer.call(x);
        var plan = layer.LastPlan!;
        Assert.True(plan.TokensWithoutExpert > 0, "this batch should leave some tokens without an expert");
        var expected = zeros(24, ModelDim);
        int most = 0;
        for (int t = 0; t < 24; t++)
        {
            int count = 0;
            for (int s = 0; s < plan.K; s++)
            {
                int e = plan.ExpertOf(t, s);
                if (e >= 0)
                {
                    count++;
                    expected[t] += layer.Experts[e].call(x[t].unsqueeze(0)).squeeze(0) * plan.CombineWeights[t, s];
                }
            }

            most = Math.Max(most, count);
        }

        Assert.True(most > 1, "some token should get several experts");
        Assert.True(y.allclose(expected, rtol: 1e-5, atol: 1e-6));
        y.sum().backward();
        Assert.NotNull(((ExpertChoiceGate)layer.Gate).Projection.weight!.grad);
    }
}
