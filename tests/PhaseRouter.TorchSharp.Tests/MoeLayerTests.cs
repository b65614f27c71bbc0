using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

public sealed class MoeLayerTests
{
    [Theory]
    [InlineData(GatePolicy.Spill, 2)]
    [InlineData(GatePolicy.Menu, 2)]
    [InlineData(GatePolicy.Oblivious, 1)]
    [InlineData(GatePolicy.Packed, 2)]
    public void LayerEqualsANaivePerTokenLoop(GatePolicy policy, int k)
    {
        manual_seed(11);
        var options = new MoeGateOptions { Experts = 4, K = k, CapacityFactor = 0.75, Policy = policy };
        using var layer = new MoeLayer(new PhaseRouterGate(6, options), 6, 10, 4);
        using var scope = NewDisposeScope();
        var x = randn(3, 7, 6);
        var y = layer.call(x);
        Assert.True(x.shape.SequenceEqual(y.shape));

        var plan = layer.LastPlan!;
        Assert.True(plan.DroppedSlots > 0, "capacity 0.75 should leave some slots empty");
        var flat = x.reshape(21, 6);
        var expected = zeros(21, 6);
        for (int t = 0; t < 21; t++)
        {
            for (int s = 0; s < k; s++)
            {
                int e = plan.ExpertOf(t, s);
                if (e >= 0)
                {
                    expected[t] += layer.Experts[e].call(flat[t].unsqueeze(0)).squeeze(0) * plan.CombineWeights[t, s];
                }
            }
        }

        Assert.True(y.reshape(21, 6).allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void TokensWithoutAnExpertGetZerosAndPartlyRoutedTokensOnlyTheirExperts()
    {
        manual_seed(5);
        var options = new MoeGateOptions { Experts = 4, K = 2, CapacityFactor = 0.25 };
        using var layer = new MoeLayer(new TopKSoftmaxGate(6, options), 6, 8, 4);
        using var scope = NewDisposeScope();
        var x = randn(40, 6);
        var y = layer.call(x);
        var plan = layer.LastPlan!;
        var indices = plan.ExpertIndices;
        var none = indices.eq(-1).all(1);
        var partial = indices.eq(-1).any(1).logical_and(none.logical_not());
        Assert.True(none.any().item<bool>(), "capacity 0.25 should leave tokens without experts");
        Assert.True(partial.any().item<bool>(), "capacity 0.25 should leave tokens with one expert");
        Assert.Equal(0f, y.index_select(0, none.nonzero().squeeze(1)).abs().sum().item<float>());

        foreach (long t in partial.nonzero().squeeze(1).data<long>().ToArray())
        {
            int e = plan.ExpertOf((int)t, 0);
            Assert.Equal(-1, plan.ExpertOf((int)t, 1));
            var expected = layer.Experts[e].call(x[t].unsqueeze(0)).squeeze(0) * plan.CombineWeights[t, 0];
            Assert.True(y[t].allclose(expected, rtol: 1e-5, atol: 1e-6));
        }
    }

    [Fact]
    public void NoRoutedTokenGivesAllZerosWithTheInputShape()
    {
        var options = new MoeGateOptions { Experts = 2, K = 1 };
        using var layer = new MoeLayer(new HashGate(4, options), 4, 4, 2);
        using var scope = NewDisposeScope();
        var y = layer.call(zeros(0, 4));
        Assert.True(new long[] { 0, 4 }.SequenceEqual(y.shape));
        Assert.Equal(0, layer.LastPlan!.Tokens);
    }

    [Fact]
    public void OutputKeepsTheInputDtype()
    {
        var options = new MoeGateOptions { Experts = 3, K = 2 };
        using var layer = new MoeLayer(new PhaseRouterGate(4, options), 4, 5, 3).to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var y = layer.call(randn(9, 4, ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
        Assert.Equal(ScalarType.Float64, layer.LastPlan!.CombineWeights.dtype);
    }

    [Theory]
    [InlineData(GatePolicy.Spill)]
    [InlineData(GatePolicy.Menu)]
    public void GradientsMatchFiniteDifferencesForGateAndExperts(GatePolicy policy)
    {
        manual_seed(3);
        var options = new MoeGateOptions { Experts = 3, K = 2, CapacityFactor = 0.75, Policy = policy, MenuSize = 3 };
        var gate = new PhaseRouterGate(4, options);
        using var layer = new MoeLayer(gate, 4, 5, 3).to(ScalarType.Float64);
        layer.eval();   // a fixed routing seed, so that the perturbed evaluations route alike
        using var scope = NewDisposeScope();
        var x = randn(10, 4, ScalarType.Float64);
        var r = randn(10, 4, ScalarType.Float64);

        double Loss() => (layer.call(x) * r).sum().item<double>();

        var loss = (layer.call(x) * r).sum();
        int[] routes = layer.LastPlan!.GetRoutes();
        layer.zero_grad();
        loss.backward();

        var checkedParameters = new List<(string Name, global::TorchSharp.Modules.Parameter Parameter)>
        {
            ("gate", gate.Projection.weight!),
        };
        checkedParameters.AddRange(layer.Experts.SelectMany((expert, e) => expert.named_parameters().Select(p => ($"expert{e}.{p.name}", p.parameter))));
        const double eps = 1e-6;
        foreach (var (name, parameter) in checkedParameters)
        {
            var grad = parameter.grad!;
            Assert.True(isfinite(grad).all().item<bool>(), name);
            var flat = parameter.detach().view(-1);
            var gradFlat = grad.view(-1);
            int count = (int)Math.Min(flat.numel(), 4);
            for (int i = 0; i < count; i++)
            {
                double original = flat[i].item<double>();
                using (no_grad())
                {
                    flat[i] = original + eps;
                }

                double plus = Loss();
                Assert.Equal(routes, layer.LastPlan!.GetRoutes());
                using (no_grad())
                {
                    flat[i] = original - eps;
                }

                double minus = Loss();
                using (no_grad())
                {
                    flat[i] = original;
                }

                double numeric = (plus - minus) / (2 * eps);
                double analytic = gradFlat[i].item<double>();
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                    $"{name}[{i}]: analytic {analytic}, numeric {numeric}");
            }

            Assert.True(grad.abs().sum().item<double>() > 0 || name.StartsWith("expert", StringComparison.Ordinal) && layer.LastPlan!.GetExpertLoads()[int.Parse(name[6..name.IndexOf('.')])] == 0,
                $"{name} got no gradient");
        }
    }

    [Fact]
    public void TwoHundredTrainingStepsLeaveTheLiveTensorCountFlat()
    {
        manual_seed(1);
        var options = new MoeGateOptions { Experts = 4, K = 2, CapacityFactor = 1.0 };
        using var spill = new MoeLayer(new PhaseRouterGate(8, options), 8, 16, 4);
        using var softmax = new MoeLayer(new TopKSoftmaxGate(8, options, jitterNoise: 0.01), 8, 16, 4);
        var parameters = spill.parameters().Concat(softmax.parameters()).ToArray();
        // ScalarSafeAdam and explicit scalars: optim.SGD and `0.01 * t` make temporary Scalars that a collection can free
        // mid-call (issue 13), which would make this test crash at random instead of measuring lifetimes.
        using var optimizer = new ScalarSafeAdam(parameters, 0.01);
        using var two = 2.ToScalar();
        using var auxWeight = 0.01.ToScalar();
        using var one = 1.ToScalar();

        void Step()
        {
            using var scope = NewDisposeScope();
            var x = randn(32, 8);
            var y = softmax.call(spill.call(x));
            var loss = y.pow(two).mean().add(softmax.LastPlan!.AuxLoss.mul(auxWeight), one);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        for (int i = 0; i < 5; i++)
        {
            Step();
        }

        long threadLive = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 200; i++)
        {
            Step();
        }

        Assert.Equal(threadLive, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal(205, spill.Gate.Step);

        // The counter does see a tensor that outlives its step.
        using var leaked = randn(1);
        Assert.Equal(threadLive + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
