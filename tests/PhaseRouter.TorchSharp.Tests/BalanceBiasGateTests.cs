using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>Loss-free bias balancing in the "lossfree" (softmax) and "phase-bias" (spill) gates.</summary>
public sealed class BalanceBiasGateTests
{
    private const int ModelDim = 6;

    public static TheoryData<string> Kinds => ["lossfree", "phase-bias"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Bias_MovesTowardBalance_OnASkewedStream(string kind)
    {
        using var gate = Create(kind, rate: 0.1);
        Skew(gate);
        gate.train();
        var violations = new List<double>();
        for (int step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            using var plan = gate.call(Batch(step));
            int[] demand = plan.GetExpertDemand();
            violations.Add(demand.Max() / demand.Average() - 1);
        }

        float[] bias = gate.GetBalanceBias();
        double first = violations.Take(5).Average();
        double last = violations.TakeLast(10).Average();
        Assert.True(last < 0.5 * first, $"MaxVio of the demand went from {first:F3} to {last:F3}");
        Assert.Equal(bias.Min(), bias[0]); // the favoured expert ends with the lowest bias
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Bias_ChangesSelectionOnly_NotTheCombineWeights(string kind)
    {
        using var gate = Create(kind, rate: 0.5);
        Skew(gate);
        gate.train();
        using var scope = NewDisposeScope();
        var x = Batch(0);
        for (int i = 0; i < 6; i++)
        {
            using var warm = gate.call(x);
        }

        using var plan = gate.call(x);
        var projection = TestGates.ProjectionOf(gate)!;
        var logits = projection.call(x);
        float[] probabilities = logits.softmax(1).data<float>().ToArray();
        float[] weights = plan.CombineWeights.data<float>().ToArray();
        int[] routes = plan.GetRoutes();
        int[] unbiasedFirst = logits.argmax(1).to(ScalarType.Int32).data<int>().ToArray();
        int[] biasedFirst = [.. Enumerable.Range(0, plan.Tokens).Select(t => plan.ExpertOf(t, 0))];
        Assert.NotEqual(unbiasedFirst, biasedFirst); // the bias changed some selections
        for (int slot = 0; slot < routes.Length; slot++)
        {
            Assert.Equal(routes[slot] < 0 ? 0f : probabilities[slot / gate.K * gate.Experts + routes[slot]], weights[slot], 1e-6f);
        }

        Assert.Equal(0f, plan.AuxLoss.item<float>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Bias_IsInTheStateDict_SurvivesASaveAndLoad_AndEvalNeverUpdatesIt(string kind)
    {
        using var gate = Create(kind, rate: 0.01);
        Skew(gate);
        using var x = Batch(0);
        gate.train();
        for (int i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            using var plan = gate.call(x);
        }

        float[] trained = gate.GetBalanceBias();
        Assert.Contains(trained, b => b != 0f);
        Assert.True(gate.state_dict().ContainsKey(MoeGate.BalanceBiasBufferName));
        Assert.DoesNotContain(gate.named_parameters(), p => p.name.Contains("balance", StringComparison.Ordinal)); // a buffer, not a parameter

        gate.eval();
        for (int i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            using var plan = gate.call(x);
        }

        Assert.Equal(trained, gate.GetBalanceBias());

        string path = Path.Combine(Path.GetTempPath(), $"gate-bias-{Guid.NewGuid():N}.bin");
        try
        {
            gate.save(path);
            using var loaded = Create(kind, rate: 0.01);
            Assert.All(loaded.GetBalanceBias(), b => Assert.Equal(0f, b));
            loaded.load(path);
            Assert.Equal(trained, loaded.GetBalanceBias());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WithoutTheOption_ThereIsNoBias_AndTheRateIsValidated()
    {
        var options = new MoeGateOptions { Experts = 4, K = 1 };
        using var plain = new TopKSoftmaxGate(ModelDim, options);
        Assert.False(plain.HasBalanceBias);
        Assert.Empty(plain.GetBalanceBias());
        Assert.False(plain.state_dict().ContainsKey(MoeGate.BalanceBiasBufferName));
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new PhaseRouterGate(ModelDim, options with { LossFreeBalancing = true, BiasUpdateRate = -1 }));
        Assert.Equal(nameof(MoeGateOptions.BiasUpdateRate), bad.ParamName);
    }

    /// <summary>Random gate weights, with expert 0 favoured by every token of <see cref="Batch"/> (their mean is positive).</summary>
    private static void Skew(MoeGate gate)
    {
        var projection = TestGates.ProjectionOf(gate)!;
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var weight = randn(projection.weight!.shape, generator: generator) * 0.3;
        weight[0] += 0.5;
        using (no_grad())
        {
            projection.weight!.copy_(weight);
        }
    }

    /// <summary>Step <paramref name="step"/> of a stream of batches: 64 tokens, N(1, 1) in each coordinate.</summary>
    private static Tensor Batch(int step)
    {
        using var generator = new Generator((ulong)(100 + step));
        using var noise = randn([64, ModelDim], generator: generator);
        return noise + 1.0;
    }

    private static MoeGate Create(string kind, double rate)
    {
        var options = new MoeGateOptions { Experts = 6, K = 2, CapacityFactor = 1.0, LossFreeBalancing = true, BiasUpdateRate = rate };
        return kind == "lossfree" ? new TopKSoftmaxGate(ModelDim, options) : new PhaseRouterGate(ModelDim, options);
    }
}
