using PhaseRouter.Gating;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>The uncapped demand every gate reports: each expert's count among the tokens' k choices before capacity.</summary>
public sealed class DemandTests
{
    private const int ModelDim = 8;

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.5)]
    [InlineData(3, 1.25)]
    public void DemandSumsToTokensTimesKForEveryGateAndPolicy(int k, double factor)
    {
        const int tokens = 50;
        var options = new MoeGateOptions { Experts = 6, K = k, CapacityFactor = factor, MenuSize = Math.Max(k, 3) };
        foreach (var (name, gate) in TestGates.AllGates(ModelDim, options))
        {
            using var _ = gate;
            using var scope = NewDisposeScope();
            using var plan = gate.call(TestGates.PositiveTokens(tokens, ModelDim));
            int[] demand = plan.GetExpertDemand();
            Assert.Equal(6, demand.Length);
            Assert.True(demand.Sum() == tokens * k, $"{name}: Σ demand {demand.Sum()} ≠ tokens·k = {tokens * k}");
            Assert.True(new long[] { 6 }.SequenceEqual(plan.ExpertDemand.shape), name);
            Assert.Equal(ScalarType.Int64, plan.ExpertDemand.dtype);
            Assert.Equal(demand.Select(d => (long)d), plan.ExpertDemand.data<long>().ToArray());
            Assert.Equal(demand.Max(), plan.MaxDemand);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AdversarialDemandNamesThePreferredExpertsForEveryTokenWhileLoadsStayWithinCapacity(int k)
    {
        const int tokens = 200;
        var options = new MoeGateOptions { Experts = 8, K = k, CapacityFactor = 1.0, MenuSize = 3 };
        foreach (var (name, gate) in TestGates.AllGates(ModelDim, options).Where(g => g.Gate is not HashGate))
        {
            using var _ = gate;
            TestGates.MakeAdversarial(gate);
            using var scope = NewDisposeScope();
            using var plan = gate.call(TestGates.PositiveTokens(tokens, ModelDim));
            int[] demand = plan.GetExpertDemand();
            int[] loads = plan.GetExpertLoads();

            // Every token ranks expert 0 first (and expert 1 second): the demand says so, whatever the policy.
            int[] expected = new int[8];
            for (int e = 0; e < k; e++)
            {
                expected[e] = tokens;
            }

            Assert.True(expected.SequenceEqual(demand), $"{name}: demand [{string.Join(", ", demand)}]");
            Assert.True(plan.Capacity < tokens, $"{name}: capacity {plan.Capacity} must be below the demand");
            Assert.True(loads[0] <= plan.Capacity, $"{name}: load {loads[0]} of expert 0 > capacity {plan.Capacity}");
            Assert.True(plan.MaxDemand > plan.Capacity, name);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DemandEqualsAnIndependentTopKCountOfTheGateLogits(int k)
    {
        const int tokens = 97;
        const int experts = 7;
        var options = new MoeGateOptions { Experts = experts, K = k, CapacityFactor = 0.75, MenuSize = Math.Max(k, 4) };
        var gates = TestGates.AllGates(ModelDim, options).Where(g => g.Gate is not HashGate)
            .Append(("topk-softmax-jitter-eval", new TopKSoftmaxGate(ModelDim, options, jitterNoise: 0.3)));
        foreach (var (name, gate) in gates)
        {
            using var _ = gate;
            if (gate is TopKSoftmaxGate { JitterNoise: > 0 })
            {
                gate.eval(); // Jitter applies in training only, so the projection's logits are the ones routed.
            }

            var projection = TestGates.ProjectionOf(gate)!;
            for (int batch = 0; batch < 3; batch++)
            {
                using var scope = NewDisposeScope();
                using var generator = new Generator((ulong)(11 + batch));
                var x = randn([tokens, ModelDim], generator: generator);
                using var plan = gate.call(x);
                float[] logits;
                using (no_grad())
                {
                    logits = projection.forward(x).contiguous().data<float>().ToArray();
                }

                int[] expected = TopKCounts(logits, tokens, experts, k);
                int[] demand = plan.GetExpertDemand();
                Assert.True(expected.SequenceEqual(demand),
                    $"{name} batch {batch}: demand [{string.Join(", ", demand)}], logits say [{string.Join(", ", expected)}]");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TiedLogitsCountTowardsTheLowerExperts(int k)
    {
        const int tokens = 40;
        var options = new MoeGateOptions { Experts = 5, K = k, CapacityFactor = 1.0, MenuSize = 3 };
        foreach (var (name, gate) in TestGates.AllGates(ModelDim, options).Where(g => g.Gate is not HashGate))
        {
            using var _ = gate;
            using (no_grad())
            {
                TestGates.ProjectionOf(gate)!.weight!.zero_();
            }

            using var scope = NewDisposeScope();
            using var plan = gate.call(TestGates.PositiveTokens(tokens, ModelDim));
            int[] expected = new int[5];
            for (int e = 0; e < k; e++)
            {
                expected[e] = tokens;
            }

            Assert.True(expected.SequenceEqual(plan.GetExpertDemand()), $"{name}: demand [{string.Join(", ", plan.GetExpertDemand())}]");
            Assert.True(plan.MaxLoad <= plan.Capacity, name);
        }
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(3, 0.5)]
    public void HashDemandCountsItsHashChoicesAndBoundsItsLoads(int k, double factor)
    {
        const int tokens = 120;
        const int experts = 6;
        var options = new MoeGateOptions { Experts = experts, K = k, CapacityFactor = factor, BaseSeed = 42 };
        using var gate = new HashGate(ModelDim, options);
        using var scope = NewDisposeScope();
        using var plan = gate.call(TestGates.PositiveTokens(tokens, ModelDim));

        var expected = new int[experts];
        var hashed = new GateWorkspace();
        GateRouting.Hash(tokens, experts, k, int.MaxValue, 42, hashed);
        foreach (int e in hashed.Choices)
        {
            expected[e]++;
        }

        int[] demand = plan.GetExpertDemand();
        int[] loads = plan.GetExpertLoads();
        Assert.Equal(expected, demand);
        Assert.Equal(tokens * k, demand.Sum());
        Assert.True(plan.DroppedSlots > 0, "capacity must bind for the comparison to mean something");
        for (int e = 0; e < experts; e++)
        {
            // Dropping only removes choices: each load is the capped demand.
            Assert.Equal(Math.Min(demand[e], plan.Capacity), loads[e]);
        }
    }

    [Fact]
    public void MonitorRecordsEachBatchsDemand()
    {
        var options = new MoeGateOptions { Experts = 4, K = 2, CapacityFactor = 0.5, MenuSize = 3 };
        foreach (var (name, gate) in TestGates.AllGates(ModelDim, options))
        {
            using var _ = gate;
            var expected = new List<int[]>();
            for (int batch = 0; batch < 4; batch++)
            {
                using var scope = NewDisposeScope();
                using var plan = gate.call(TestGates.PositiveTokens(30 + batch, ModelDim, batch));
                expected.Add(plan.GetExpertDemand());
            }

            int[][] matrix = gate.Monitor.DemandMatrix();
            Assert.Equal(expected.Count, matrix.Length);
            for (int i = 0; i < matrix.Length; i++)
            {
                Assert.True(expected[i].SequenceEqual(matrix[i]), $"{name} batch {i}");
                Assert.Equal((30 + i) * 2, matrix[i].Sum());
            }

            Assert.Equal(expected.Select(d => d.Max()), gate.Monitor.Records.Select(r => r.MaxDemand));
            matrix[0][0] += 1000;
            Assert.Equal(expected[0], gate.Monitor.Records.First().Demand);
            Assert.Equal(expected[0], gate.Monitor.DemandMatrix()[0]);
        }
    }

    [Fact]
    public void DisposingThePlanDisposesTheDemandTensor()
    {
        using var gate = new PhaseRouterGate(ModelDim, new MoeGateOptions { Experts = 4, K = 1 });
        using var x = TestGates.PositiveTokens(16, ModelDim);
        var plan = gate.call(x);
        Assert.False(plan.ExpertDemand.IsInvalid);
        plan.Dispose();
        Assert.True(plan.ExpertDemand.IsInvalid);
    }

    /// <summary>The test's own oracle: how often each expert is among a row's k best, ties to the lower index.</summary>
    private static int[] TopKCounts(float[] scores, int tokens, int experts, int k)
    {
        var counts = new int[experts];
        var taken = new bool[experts];
        for (int t = 0; t < tokens; t++)
        {
            Array.Clear(taken);
            for (int j = 0; j < k; j++)
            {
                int best = -1;
                for (int e = 0; e < experts; e++)
                {
                    if (!taken[e] && (best < 0 || scores[t * experts + e] > scores[t * experts + best]))
                    {
                        best = e;
                    }
                }

                taken[best] = true;
                counts[best]++;
            }
        }

        return counts;
    }
}
