using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

public sealed class GateTests
{
    private const int ModelDim = 8;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PlansHaveTheContractShapesAndDtypes(int k)
    {
        var options = new MoeGateOptions { Experts = 6, K = k, CapacityFactor = 1.0 };
        foreach (var (name, gate) in TestGates.AllGates(ModelDim, options))
        {
            using var _ = gate;
            using var scope = NewDisposeScope();
            using var plan = gate.call(TestGates.PositiveTokens(40, ModelDim));
            Assert.True(new long[] { 40, k }.SequenceEqual(plan.ExpertIndices.shape), name);
            Assert.Equal(ScalarType.Int64, plan.ExpertIndices.dtype);
            Assert.True(new long[] { 40, k }.SequenceEqual(plan.CombineWeights.shape), name);
            Assert.Equal(ScalarType.Float32, plan.CombineWeights.dtype);
            Assert.True(new long[] { 6 }.SequenceEqual(plan.ExpertLoads.shape), name);
            Assert.Equal(ScalarType.Int64, plan.ExpertLoads.dtype);
            Assert.Equal(0, plan.AuxLoss.dim());
            Assert.Equal(options.CapacityFor(40), plan.Capacity);
            Assert.Equal(40, plan.Tokens);
            Assert.True(plan.RouterMilliseconds >= 0, name);
        }
    }

    [Fact]
    public void RankThreeInputIsFlattened()
    {
        var options = new MoeGateOptions { Experts = 4, K = 2 };
        foreach (var (name, gate) in TestGates.AllGates(ModelDim, options))
        {
            using var _ = gate;
            using var scope = NewDisposeScope();
            var x = TestGates.PositiveTokens(24, ModelDim);
            gate.eval();
            using var flat = gate.call(x);
            using var batched = gate.call(x.reshape(4, 6, ModelDim));
            Assert.Equal(24, batched.Tokens);
            Assert.Equal(flat.GetRoutes(), batched.GetRoutes());
        }
    }

    [Fact]
    public void CombineWeightsAreTheSoftmaxProbabilitiesOfTheChosenExpertsAndZeroForEmptySlots()
    {
        var options = new MoeGateOptions { Experts = 4, K = 2, CapacityFactor = 0.5 };
        foreach (var policy in TestGates.Policies)
        {
            using var gate = new PhaseRouterGate(ModelDim, options with { Policy = policy });
            using var scope = NewDisposeScope();
            var x = TestGates.PositiveTokens(32, ModelDim);
            using var plan = gate.call(x);
            var probabilities = gate.Projection.forward(x).softmax(1);
            var indices = plan.ExpertIndices;
            var expected = probabilities.gather(1, indices.clamp_min(0)).masked_fill(indices.lt(0), 0.0);
            Assert.True(plan.CombineWeights.allclose(expected), policy.ToString());
            Assert.True(plan.DroppedSlots > 0, $"{policy}: capacity 0.5 must drop");
            Assert.Equal(0f, plan.CombineWeights.masked_select(indices.lt(0)).abs().sum().item<float>());
        }
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(1, 1.25)]
    [InlineData(2, 0.5)]
    public void NoGateEverExceedsCapacityUnderAdversarialLogitsAndLoadsMatchIndices(int k, double factor)
    {
        var options = new MoeGateOptions { Experts = 8, K = k, CapacityFactor = factor, MenuSize = Math.Max(k, 3) };
        foreach (var (name, gate) in TestGates.AllGates(ModelDim, options))
        {
            using var _ = gate;
            TestGates.MakeAdversarial(gate);
            using var scope = NewDisposeScope();
            using var plan = gate.call(TestGates.PositiveTokens(200, ModelDim));
            long[] loads = plan.ExpertLoads.data<long>().ToArray();
            Assert.True(loads.Max() <= plan.Capacity, $"{name}: max load {loads.Max()} > capacity {plan.Capacity}");
            Assert.Equal(TestGates.LoadsFromIndices(plan), loads);
            Assert.Equal(plan.GetExpertLoads().Select(l => (long)l), loads);
            Assert.Equal(200 * k - loads.Sum(), plan.DroppedSlots);
            AssertDistinctPerToken(plan, name);
        }
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(1, 1.25)]
    [InlineData(2, 2.0)]
    public void SpillDropsNothingUnderAdversarialLogitsWhenCapacityCoversDemand(int k, double factor)
    {
        var options = new MoeGateOptions { Experts = 8, K = k, CapacityFactor = factor };
        using var spill = new PhaseRouterGate(ModelDim, options);
        using var softmax = new TopKSoftmaxGate(ModelDim, options);
        TestGates.MakeAdversarial(spill);
        TestGates.MakeAdversarial(softmax);
        using var scope = NewDisposeScope();
        var x = TestGates.PositiveTokens(256, ModelDim);
        using var spilled = spill.call(x);
        using var dropped = softmax.call(x);

        Assert.Equal(0, spilled.DroppedSlots);
        Assert.True(spilled.MaxLoad <= spilled.Capacity);
        Assert.True(dropped.DroppedSlots > 0, "the softmax baseline drops under the same logits");

        // Phase 1 kept the preferred expert for exactly `capacity` tokens, all others spilled elsewhere.
        Assert.Equal(spilled.Capacity, spilled.GetExpertLoads()[0]);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(2, 5)]
    public void MenuLoadIsBoundedByTokensTimesMenuOverExpertsWhateverTheLogits(int k, int menu)
    {
        const int tokens = 203;
        const int experts = 8;
        var options = new MoeGateOptions { Experts = experts, K = k, MenuSize = menu, CapacityFactor = 100, Policy = GatePolicy.Menu };
        int bound = (tokens * menu + experts - 1) / experts;
        for (ulong seed = 0; seed < 4; seed++)
        {
            using var gate = new PhaseRouterGate(ModelDim, options with { BaseSeed = seed });
            TestGates.MakeAdversarial(gate);
            using var scope = NewDisposeScope();
            using var plan = gate.call(TestGates.PositiveTokens(tokens, ModelDim));
            Assert.True(plan.MaxLoad <= bound, $"seed {seed}: max load {plan.MaxLoad} > ⌈tokens·m/E⌉ = {bound}");
            Assert.Equal(0, plan.DroppedSlots);
        }
    }

    [Fact]
    public void AcceptanceDegreesBoundEachExpertsLoad()
    {
        int[] acceptance = [5, 50, 50, 50];
        var options = new MoeGateOptions { Experts = 4, K = 1, MenuSize = 2, CapacityFactor = 100, Policy = GatePolicy.Menu, AcceptanceDegrees = acceptance };
        using var gate = new PhaseRouterGate(ModelDim, options);
        TestGates.MakeAdversarial(gate);
        using var scope = NewDisposeScope();
        using var plan = gate.call(TestGates.PositiveTokens(64, ModelDim));
        int[] loads = plan.GetExpertLoads();
        for (int e = 0; e < 4; e++)
        {
            Assert.True(loads[e] <= acceptance[e], $"expert {e}: load {loads[e]} > acceptance {acceptance[e]}");
        }
    }

    [Fact]
    public void RoutingIsDeterministicForASeedAdvancesInTrainingAndIsFixedAtEval()
    {
        var options = new MoeGateOptions { Experts = 8, K = 2, BaseSeed = 42, CapacityFactor = 1.0 };
        foreach (var policy in TestGates.Policies)
        {
            using var scope = NewDisposeScope();
            var x = TestGates.PositiveTokens(64, ModelDim);
            using var a = new PhaseRouterGate(ModelDim, options with { Policy = policy });
            using var b = new PhaseRouterGate(ModelDim, options with { Policy = policy });
            TestGates.MakeAdversarial(a);
            TestGates.MakeAdversarial(b);

            int[][] RunTraining(PhaseRouterGate gate) => Enumerable.Range(0, 3).Select(_ =>
            {
                using var plan = gate.call(x);
                return plan.GetRoutes();
            }).ToArray();

            var first = RunTraining(a);
            var second = RunTraining(b);
            Assert.Equal(first, second);
            Assert.Equal(3, a.Step);
            if (policy == GatePolicy.Oblivious)
            {
                Assert.NotEqual(first[0], first[1]);
            }

            a.eval();
            using var e1 = a.call(x);
            using var e2 = a.call(x);
            Assert.Equal(3, a.Step);
            Assert.Equal(42UL, e1.Seed);
            Assert.Equal(e1.GetRoutes(), e2.GetRoutes());

            // Eval uses the base seed: the same as the first training batch.
            Assert.Equal(first[0], e1.GetRoutes());
        }
    }

    [Fact]
    public void MonitorRecordsLoadsCapacityAndDropsPerBatch()
    {
        var options = new MoeGateOptions { Experts = 4, K = 1, CapacityFactor = 0.5 };
        using var gate = new TopKSoftmaxGate(ModelDim, options);
        gate.Monitor.MaxRecords = 3;
        using var scope = NewDisposeScope();
        for (int step = 0; step < 5; step++)
        {
            using var plan = gate.call(TestGates.PositiveTokens(20 + step, ModelDim, step));
        }

        Assert.Equal(3, gate.Monitor.Count);
        Assert.Equal([2L, 3L, 4L], gate.Monitor.Records.Select(r => r.Step));
        Assert.Equal([options.CapacityFor(22), options.CapacityFor(23), options.CapacityFor(24)], gate.Monitor.Capacities());
        int[][] loads = gate.Monitor.LoadMatrix();
        long[] drops = gate.Monitor.DroppedSlots();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(4, loads[i].Length);
            Assert.Equal(22 + i - loads[i].Sum(), drops[i]);
        }
    }

    [Fact]
    public void SoftmaxAuxLossIsOneAtBalanceAndLargerWhenCollapsed()
    {
        var options = new MoeGateOptions { Experts = 4, K = 1 };
        using var gate = new TopKSoftmaxGate(ModelDim, options);
        using var scope = NewDisposeScope();
        var x = TestGates.PositiveTokens(64, ModelDim);
        using (no_grad())
        {
            gate.Projection.weight!.zero_();
        }

        using (var balanced = gate.call(x))
        {
            // Uniform probabilities: P_e = 1/4; ties go to expert 0, so f = (1, 0, 0, 0) and the loss is 4·(1·1/4) = 1.
            Assert.Equal(1.0, balanced.AuxLoss.item<float>(), 5);
        }

        TestGates.MakeAdversarial(gate);
        using var collapsed = gate.call(x);
        Assert.True(collapsed.AuxLoss.item<float>() > 3.5, $"aux {collapsed.AuxLoss.item<float>()}");
        Assert.True(collapsed.AuxLoss.requires_grad);
    }

    [Fact]
    public void HashGateIsTheSameEveryStepAndIgnoresTheInput()
    {
        var options = new MoeGateOptions { Experts = 5, K = 2, BaseSeed = 9, CapacityFactor = 10 };
        using var gate = new HashGate(ModelDim, options);
        using var scope = NewDisposeScope();
        using var a = gate.call(TestGates.PositiveTokens(30, ModelDim, 1));
        using var b = gate.call(TestGates.PositiveTokens(30, ModelDim, 2));
        Assert.Equal(a.GetRoutes(), b.GetRoutes());
        Assert.Equal(0, a.DroppedSlots);
        Assert.True(a.CombineWeights.allclose(full(30, 2, 0.5)));
        Assert.Empty(gate.parameters());
    }

    private static void AssertDistinctPerToken(RoutingPlan plan, string name)
    {
        for (int t = 0; t < plan.Tokens; t++)
        {
            var experts = Enumerable.Range(0, plan.K).Select(s => plan.ExpertOf(t, s)).ToArray();
            var filled = experts.TakeWhile(e => e >= 0).ToArray();
            Assert.True(experts.Skip(filled.Length).All(e => e == -1), $"{name}: token {t} has a hole before a filled slot");
            Assert.True(filled.Distinct().Count() == filled.Length, $"{name}: token {t} repeats an expert");
        }
    }
}
