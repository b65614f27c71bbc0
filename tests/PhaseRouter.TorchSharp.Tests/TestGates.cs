using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>Builders shared by the tests.</summary>
internal static class TestGates
{
    public static readonly GatePolicy[] Policies = [GatePolicy.Spill, GatePolicy.Menu, GatePolicy.Oblivious, GatePolicy.Packed];

    /// <summary>Every gate kind for the options: the four phase policies, softmax top-k and hash.</summary>
    public static IEnumerable<(string Name, MoeGate Gate)> AllGates(int modelDim, MoeGateOptions options)
    {
        foreach (var policy in Policies)
        {
            yield return ($"phase-{policy}", new PhaseRouterGate(modelDim, options with { Policy = policy }));
        }

        yield return ("topk-softmax", new TopKSoftmaxGate(modelDim, options));
        yield return ("hash", new HashGate(modelDim, options));
    }

    /// <summary>Positive tokens: <c>0.5 + U(0, 1)</c>.</summary>
    public static Tensor PositiveTokens(int tokens, int modelDim, long seed = 7)
    {
        using var generator = new Generator((ulong)seed);
        return rand([tokens, modelDim], generator: generator) + 0.5;
    }

    /// <summary>
    /// Sets a gate's projection so that every positive token prefers expert 0, then expert 1, then the rest in
    /// a random order with small logits: the adversarial case for capacity.
    /// </summary>
    public static void MakeAdversarial(MoeGate gate, long seed = 3)
    {
        var projection = ProjectionOf(gate);
        if (projection is null)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var weight = (rand(projection.weight!.shape, generator: generator) - 0.5) * 0.1;
        weight[0] = full(gate.ModelDim, 2.0);
        if (gate.Experts > 1)
        {
            weight[1] = full(gate.ModelDim, 1.0);
        }

        using (no_grad())
        {
            projection.weight!.copy_(weight.to(projection.weight!.dtype));
        }
    }

    /// <summary>The gate's <c>modelDim → E</c> logit projection, or <see langword="null"/> for a gate without one (hash).</summary>
    public static Linear? ProjectionOf(MoeGate gate) => gate switch
    {
        PhaseRouterGate p => p.Projection,
        ExpertChoiceGate c => c.Projection,
        BalancedAssignmentGate b => b.Projection,
        TopKSoftmaxGate s => s.Projection,
        _ => null,
    };

    /// <summary>The loads implied by the plan's index tensor.</summary>
    public static long[] LoadsFromIndices(RoutingPlan plan)
    {
        var loads = new long[plan.Experts];
        foreach (long e in plan.ExpertIndices.data<long>().ToArray())
        {
            if (e >= 0)
            {
                loads[e]++;
            }
        }

        return loads;
    }
}
