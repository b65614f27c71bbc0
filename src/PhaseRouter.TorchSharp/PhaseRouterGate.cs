using System.Diagnostics;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// The Phase Router gate (SPEC §3): a learned linear map to expert logits, routed under per-expert capacity by the
/// <see cref="PhaseGateOptions.Policy"/> (<see cref="GatePolicy.Spill"/> by default). No expert ever receives more
/// than <see cref="RoutingPlan.Capacity"/> tokens; the combine weights are the softmax probabilities of the chosen
/// experts. Routing is reproducible: seed <c>BaseSeed + step</c> in training, <c>BaseSeed</c> at inference. The plan's
/// <see cref="RoutingPlan.ExpertDemand"/> counts each token's top-k experts by logit under every policy.
/// </summary>
/// <remarks>Lifetime: as for every <see cref="MoeGate"/> (the caller owns the returned plan).</remarks>
public sealed class PhaseRouterGate : MoeGate
{
    private float[]? _spillScratch;

    private readonly Linear linear;
    private int _maxDegreeOfParallelism = -1;

    /// <summary>Creates the gate.</summary>
    /// <param name="modelDim">Width of a token (≥ 1).</param>
    /// <param name="options">Experts, k, menu size, capacity factor, policy, seed; validated here.</param>
    /// <exception cref="ArgumentException">An option or <paramref name="modelDim"/> is out of range.</exception>
    public PhaseRouterGate(int modelDim, PhaseGateOptions options) : base(nameof(PhaseRouterGate), modelDim, options)
    {
        linear = nn.Linear(modelDim, options.Experts, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The gate's linear map <c>modelDim → E</c> (no bias).</summary>
    public Linear Projection => linear;

    /// <summary>Threads the Core router may use (-1, the default, means every core). Routes never depend on it.</summary>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            if (value is 0 or < -1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxDegreeOfParallelism must be -1 (every core) or at least 1.");
            }

            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>
    /// The spill policy's buffer for the overflow tokens' scores (at most every token's), kept across batches: a
    /// fresh megabyte-sized array per batch costs page faults and full garbage collections.
    /// </summary>
    private float[] SpillScratch(int length)
    {
        if (_spillScratch is null || _spillScratch.Length < length)
        {
            _spillScratch = GC.AllocateUninitializedArray<float>(length);
        }

        return _spillScratch;
    }

    /// <inheritdoc />
    protected override RoutingPlan Route(Tensor tokens, int capacity, ulong seed)
    {
        var logits = linear.forward(tokens);
        var probabilities = logits.softmax(1);
        long start = Stopwatch.GetTimestamp();
        int count = (int)tokens.shape[0];
        float[] scores = ToManaged(logits);
        int[]? choices = null;
        int[] routes = Options.Policy switch
        {
            GatePolicy.Spill => GateRouting.Spill(scores, count, Experts, K, capacity, seed, MaxDegreeOfParallelism, out choices,
                SpillScratch(scores.Length)),
            GatePolicy.Menu => GateRouting.Menu(scores, count, Experts, K, Options.EffectiveMenuSize, Options.AcceptanceDegrees,
                capacity, seed, MaxDegreeOfParallelism),
            _ => GateRouting.Menu(null, count, Experts, K, Options.EffectiveMenuSize, Options.AcceptanceDegrees,
                capacity, seed, MaxDegreeOfParallelism),
        };
        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        // Menu and Oblivious never rank all experts; the demand's top-k is computed here, outside the routing time.
        choices ??= GateRouting.TopK(scores, count, Experts, K, MaxDegreeOfParallelism);
        return CreatePlan(routes, choices, capacity, probabilities, null, milliseconds, seed);
    }
}
