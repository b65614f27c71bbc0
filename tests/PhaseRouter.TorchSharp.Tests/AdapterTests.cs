using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>The tensor edge of the gates: dtypes, non-finite logits, the step in the state dict, hooks, options copies.</summary>
public sealed class AdapterTests
{
    private const int ModelDim = 8;

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void AnInputOfAnotherDtype_IsRejectedWithAHowTo(ScalarType dtype)
    {
        var options = new MoeGateOptions { Experts = 4, K = 2 };
        using var gate = new PhaseRouterGate(ModelDim, options);
        using var softmax = new TopKSoftmaxGate(ModelDim, options);
        using var layer = new MoeLayer(new PhaseRouterGate(ModelDim, options), ModelDim, 16, 4);
        using var scope = NewDisposeScope();
        var x = TestGates.PositiveTokens(10, ModelDim).to(dtype);
        foreach (var call in new Action[] { () => gate.call(x), () => softmax.call(x), () => layer.call(x) })
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Contains($".to(ScalarType.{ScalarType.Float32})", error.Message);
            Assert.Contains(dtype.ToString(), error.Message);
        }
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.BFloat16)]
    public void AGateConvertedToAnotherDtype_RoutesLikeFloat32(ScalarType dtype)
    {
        // Small integer weights and inputs: the logits are small integers, exact in every dtype, so their order (and
        // ties) are the same and so must be the routes.
        foreach (var policy in TestGates.Policies)
        {
            var options = new MoeGateOptions { Experts = 6, K = 2, CapacityFactor = 1.0, Policy = policy, BaseSeed = 4 };
            using var single = new PhaseRouterGate(ModelDim, options);
            using var converted = new PhaseRouterGate(ModelDim, options);
            using var scope = NewDisposeScope();
            var generator = new Generator(12);
            var weight = randint(-3, 4, [6, ModelDim], generator: generator).to(ScalarType.Float32);
            var x = randint(0, 3, [50, ModelDim], generator: generator).to(ScalarType.Float32);
            using (no_grad())
            {
                single.Projection.weight!.copy_(weight);
                converted.Projection.weight!.copy_(weight);
            }

            converted.to(dtype);
            using var expected = single.call(x);
            using var got = converted.call(x.to(dtype));
            Assert.Equal(expected.ExpertIndices.data<long>().ToArray(), got.ExpertIndices.data<long>().ToArray());
            Assert.Equal(dtype, got.CombineWeights.dtype);
        }
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.MaxValue, "Infinity")]
    [InlineData(-float.MaxValue, "-Infinity")]
    public void NonFiniteLogits_AreRejectedNamingTokenAndExpert(float value, string shown)
    {
        var options = new MoeGateOptions { Experts = 4, K = 2 };
        foreach (MoeGate gate in new MoeGate[] { new PhaseRouterGate(ModelDim, options), new TopKSoftmaxGate(ModelDim, options) })
        {
            using (gate)
            using (var scope = NewDisposeScope())
            {
                var projection = TestGates.ProjectionOf(gate)!;
                using (no_grad())
                {
                    // Expert 2 reads feature 0 twice over; the others ignore it. Token 5's feature 0 then overflows
                    // (or is NaN) in expert 2's logit only.
                    projection.weight!.zero_();
                    projection.weight![2, 0] = 2f;
                    if (float.IsNaN(value))
                    {
                        projection.weight![2, 0] = 1f;
                    }
                }

                var x = zeros(9, ModelDim);
                x[5, 0] = value;
                long stepBefore = gate.Step;
                gate.train();
                var error = Assert.Throws<ArgumentException>(() => gate.call(x));
                Assert.Contains("token 5, expert", error.Message);
                Assert.Contains(shown, error.Message);
                Assert.Equal(stepBefore, gate.Step); // a rejected batch does not advance the step
            }
        }
    }

    [Fact]
    public void NaNInput_IsRejectedAtTheFirstExpertOfTheToken()
    {
        using var gate = new PhaseRouterGate(ModelDim, new MoeGateOptions { Experts = 4, K = 1 });
        using var scope = NewDisposeScope();
        var x = TestGates.PositiveTokens(9, ModelDim);
        x[3, 1] = float.NaN;
        Assert.Contains("token 3, expert 0", Assert.Throws<ArgumentException>(() => gate.call(x)).Message);
    }

    [Fact]
    public void Step_SurvivesASaveAndLoad_AndTheNextBatchGetsTheSameSeed()
    {
        var options = new MoeGateOptions { Experts = 6, K = 2, CapacityFactor = 0.75, BaseSeed = 77 };
        using var gate = new PhaseRouterGate(ModelDim, options);
        TestGates.MakeAdversarial(gate);
        gate.train();
        using var x = TestGates.PositiveTokens(40, ModelDim);
        for (int i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            using var plan = gate.call(x);
        }

        Assert.True(gate.state_dict().ContainsKey(MoeGate.StepBufferName));
        string path = Path.Combine(Path.GetTempPath(), $"gate-step-{Guid.NewGuid():N}.bin");
        try
        {
            gate.save(path);
            using var loaded = new PhaseRouterGate(ModelDim, options);
            Assert.Equal(0, loaded.Step);
            loaded.load(path);
            loaded.train();
            Assert.Equal(3, loaded.Step);
            using var scope = NewDisposeScope();
            using var expected = gate.call(x);
            using var got = loaded.call(x);
            Assert.Equal(77UL + 3, got.Seed);
            Assert.Equal(expected.Seed, got.Seed);
            Assert.Equal(expected.ExpertIndices.data<long>().ToArray(), got.ExpertIndices.data<long>().ToArray());
            Assert.Equal(4, loaded.Step);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Submodules_AreInvokedWithCall_SoTheirHooksRun()
    {
        var options = new MoeGateOptions { Experts = 4, K = 2 };
        using var layer = new MoeLayer(new PhaseRouterGate(ModelDim, options), ModelDim, 16, 4);
        int gateHooks = 0;
        int projectionHooks = 0;
        int expertHooks = 0;
        int innerHooks = 0;
        layer.Gate.register_forward_hook((_, _, plan) => { gateHooks++; return plan; });
        ((PhaseRouterGate)layer.Gate).Projection.register_forward_hook((_, _, y) => { projectionHooks++; return y; });
        foreach (var expert in layer.Experts)
        {
            expert.register_forward_hook((_, _, y) => { expertHooks++; return y; });
            foreach (var inner in expert.children().OfType<Linear>())
            {
                inner.register_forward_hook((_, _, y) => { innerHooks++; return y; });
            }
        }

        using var scope = NewDisposeScope();
        layer.call(TestGates.PositiveTokens(40, ModelDim));
        int used = layer.LastPlan!.GetExpertLoads().Count(l => l > 0);
        Assert.Equal(1, gateHooks);
        Assert.Equal(1, projectionHooks);
        Assert.Equal(used, expertHooks);
        Assert.Equal(2 * used, innerHooks);
    }

    [Fact]
    public void ChangingTheCallersAcceptanceList_DoesNotReachTheGate()
    {
        var degrees = new List<int> { 40, 40, 40, 40 };
        var options = new MoeGateOptions { Experts = 4, K = 1, Policy = GatePolicy.Menu, MenuSize = 2, AcceptanceDegrees = degrees };
        using var gate = new PhaseRouterGate(ModelDim, options);
        using var reference = new PhaseRouterGate(ModelDim, options with { AcceptanceDegrees = [40, 40, 40, 40] });
        using (no_grad())
        {
            reference.Projection.weight!.copy_(gate.Projection.weight!);
        }

        degrees[0] = -5; // would fail validation
        degrees.Add(3); // and the length check
        Assert.Equal([40, 40, 40, 40], gate.Options.AcceptanceDegrees!);
        Assert.IsNotType<List<int>>(gate.Options.AcceptanceDegrees);
        using var scope = NewDisposeScope();
        var x = TestGates.PositiveTokens(30, ModelDim);
        using var got = gate.call(x);
        using var expected = reference.call(x);
        Assert.Equal(expected.ExpertIndices.data<long>().ToArray(), got.ExpertIndices.data<long>().ToArray());
    }

    [Fact]
    public void PlanDispatch_GroupsTheRoutedSlotsByExpert()
    {
        var options = new MoeGateOptions { Experts = 5, K = 2, CapacityFactor = 0.75 };
        using var gate = new TopKSoftmaxGate(ModelDim, options);
        TestGates.MakeAdversarial(gate);
        using var scope = NewDisposeScope();
        using var plan = gate.call(TestGates.PositiveTokens(30, ModelDim));
        long[] indices = plan.ExpertIndices.data<long>().ToArray();
        long[] offsets = plan.ExpertOffsets.data<long>().ToArray();
        long[] tokens = plan.DispatchTokenIndices.data<long>().ToArray();
        long[] slots = plan.DispatchSlotIndices.data<long>().ToArray();
        Assert.Equal(plan.GetExpertOffsets().Select(o => (long)o), offsets);
        Assert.Equal(plan.RoutedSlots, tokens.Length);
        Assert.True(plan.DroppedSlots > 0);
        for (int e = 0; e < 5; e++)
        {
            long[] expected = [.. Enumerable.Range(0, indices.Length).Where(s => indices[s] == e).Select(s => (long)s)];
            Assert.Equal(expected, slots[(int)offsets[e]..(int)offsets[e + 1]]);
            Assert.Equal(expected.Select(s => s / 2), tokens[(int)offsets[e]..(int)offsets[e + 1]]);
        }
    }
}
