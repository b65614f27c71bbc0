using PhaseRouter.Gating;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// The GShard/Switch baseline: each token's top-k experts by softmax probability, per-expert capacity
/// <c>⌈cf · tokens · k / E⌉</c>, overflow dropped (all first choices in token order, then all second choices, …;
/// Core's <see cref="GateRouting.SlotMajorDrop"/>),
/// optional multiplicative jitter on the gate input in training, and the Switch load-balancing loss
/// <c>E · Σ_e f_e · P_e</c> as <see cref="RoutingPlan.AuxLoss"/>, where <c>f_e</c> is the share of the
/// <c>tokens · k</c> top-k choices (before capacity) naming expert e and <c>P_e</c> the mean probability of e
/// (1 at perfect balance; scale it by a small coefficient such as 0.01 when adding it to the loss). Those top-k
/// choices are also the plan's <see cref="RoutingPlan.ExpertDemand"/>. With <see cref="MoeGateOptions.LossFreeBalancing"/>
/// (the "lossfree" gate, DeepSeek-V3's auxiliary-loss-free balancing) the top-k is taken over the logits plus the
/// gate's per-expert balance bias (the combine weights stay the unbiased probabilities), each training batch updates
/// the bias (see <see cref="MoeGate.UpdateBalanceBias"/>), capacity still drops overflow (a capacity factor of
/// <c>E / k</c> or more gives DeepSeek's uncapped routing), and the auxiliary loss is zero.
/// </summary>
/// <remarks>Lifetime: as for every <see cref="MoeGate"/> (the caller owns the returned plan).</remarks>
public sealed class TopKSoftmaxGate : LinearProjectionGate
{

    /// <summary>Creates the gate.</summary>
    /// <param name="modelDim">Width of a token (≥ 1).</param>
    /// <param name="options">Experts, k and capacity factor (policy and menu settings are ignored); validated here.</param>
    /// <param name="jitterNoise">Switch jitter ε in <c>[0, 1)</c>: in training the gate input is multiplied by <c>U(1−ε, 1+ε)</c>. 0 (the default) disables it.</param>
    /// <exception cref="ArgumentException">An option, <paramref name="modelDim"/> or <paramref name="jitterNoise"/> is out of range.</exception>
    public TopKSoftmaxGate(int modelDim, MoeGateOptions options, double jitterNoise = 0)
        : base(nameof(TopKSoftmaxGate), modelDim, CheckJitter(jitterNoise, options))
    {
        JitterNoise = jitterNoise;
        RegisterBalanceBias();
        RegisterComponents();
    }

    /// <summary>The jitter ε applied to the gate input in training.</summary>
    public double JitterNoise { get; }

    /// <summary>
    /// Rejects a bad jitter before the base constructor makes the linear map, so a refused gate leaves no native
    /// tensor behind for the finalizer.
    /// </summary>
    private static MoeGateOptions CheckJitter(double jitterNoise, MoeGateOptions options)
    {
        if (!(jitterNoise >= 0 && jitterNoise < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(jitterNoise), jitterNoise, "jitterNoise must be in [0, 1).");
        }

        return options;
    }

    /// <inheritdoc />
    protected override RoutingPlan Route(Tensor tokens, int capacity, ulong seed, GateWorkspace workspace)
    {
        // Explicit scalars, disposed after the calls that read them (see ScalarSafeAdam for why not implicit ones).
        using var jitterSpread = (2 * JitterNoise).ToScalar();
        using var jitterLow = (1 - JitterNoise).ToScalar();
        using var expertCount = Experts.ToScalar();
        using var one = 1.ToScalar(); // Tensor + Scalar would make its alpha = 1 implicitly
        var input = training && JitterNoise > 0
            ? tokens * (rand_like(tokens) * jitterSpread).add(jitterLow, one)
            : tokens;
        var logits = Projection.call(input);
        var probabilities = logits.softmax(1);
        long start = StartTiming();
        ReadOnlySpan<float> scores = SelectionScores(ScoresOf(logits, out Tensor host), out float[]? rented);
        GateRouting.SlotMajorDrop(scores, Experts, K, capacity, workspace);
        double milliseconds = ElapsedMilliseconds(start);
        GC.KeepAlive(host); // the span viewed its memory until here
        ReturnSelectionScores(rented);
        UpdateBalanceBias(workspace);
        if (HasBalanceBias)
        {
            // Loss-free: the bias does the balancing, so the plan carries no auxiliary loss.
            return CreatePlan(workspace, probabilities, null, milliseconds, seed);
        }

        int count = workspace.Tokens;
        ReadOnlySpan<int> demand = workspace.Demand;
        var share = new float[Experts];
        for (int e = 0; e < Experts; e++)
        {
            share[e] = (float)demand[e] / Math.Max(1, count * K);
        }

        var f = tensor(share, [Experts], probabilities.dtype, probabilities.device);
        var meanProbability = count == 0 ? zeros_like(f) : probabilities.mean([0L]);
        var aux = (f * meanProbability).sum() * expertCount;
        return CreatePlan(workspace, probabilities, aux, milliseconds, seed);
    }
}
