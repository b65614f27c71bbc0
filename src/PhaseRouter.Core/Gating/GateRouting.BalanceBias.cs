using System.Globalization;

namespace PhaseRouter.Gating;

/// <content>Auxiliary-loss-free bias balancing (DeepSeek-V3): a per-expert bias for selection only.</content>
public static partial class GateRouting
{
    /// <summary>
    /// The selection scores of auxiliary-loss-free balancing (Wang et al. 2024, DeepSeek-V3): <c>scores[t, e] + bias[e]</c>
    /// into <paramref name="destination"/>. Route with them (any policy) and take the combine weights from the unbiased
    /// scores: the bias changes which experts are chosen, never how much they weigh.
    /// </summary>
    /// <param name="scores">Row-major <c>[tokens, E]</c> scores.</param>
    /// <param name="bias">The per-expert bias, length E, finite.</param>
    /// <param name="destination">Receives the biased scores; the length of <paramref name="scores"/>. Untouched when an argument is rejected.</param>
    /// <exception cref="ArgumentException">The lengths do not match or a bias is not finite.</exception>
    public static void AddBias(ReadOnlySpan<float> scores, ReadOnlySpan<float> bias, Span<float> destination)
    {
        int experts = bias.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1, nameof(bias));
        if (scores.Length % experts != 0)
        {
            throw new ArgumentException(
                $"The scores must be row-major [tokens, E = {experts}] (E = the bias length); their length {scores.Length} is not a multiple of E.", nameof(scores));
        }

        if (destination.Length != scores.Length)
        {
            throw new ArgumentException($"destination must have the scores' length {scores.Length}; got {destination.Length}.", nameof(destination));
        }

        CheckBias(bias);
        for (int row = 0; row < scores.Length; row += experts)
        {
            ReadOnlySpan<float> source = scores.Slice(row, experts);
            Span<float> target = destination.Slice(row, experts);
            for (int e = 0; e < experts; e++)
            {
                target[e] = source[e] + bias[e];
            }
        }
    }

    /// <summary>
    /// One step of the loss-free bias update: <c>bias[e] += rate · sign(mean load − load[e])</c>, where the mean is over
    /// the E experts (sign 0 leaves a bias as it is). An overloaded expert becomes less attractive, an underloaded one
    /// more. DeepSeek-V3 uses <c>rate = 1e-3</c> once per training step with that step's loads; the gates of
    /// <c>PhaseRouter.TorchSharp</c> pass the counts of the biased top-k choices before capacity (the load the bias
    /// steers; after capacity the spill gate's loads are flat by construction).
    /// </summary>
    /// <param name="bias">The per-expert bias, length E; updated in place. Untouched when an argument is rejected.</param>
    /// <param name="loads">The step's per-expert loads (length E, each ≥ 0).</param>
    /// <param name="rate">u, finite and ≥ 0.</param>
    /// <exception cref="ArgumentException">The lengths differ, a load is negative, or the rate is out of range.</exception>
    public static void UpdateBalanceBias(Span<float> bias, ReadOnlySpan<int> loads, float rate)
    {
        if (bias.Length != loads.Length || bias.IsEmpty)
        {
            throw new ArgumentException(
                $"bias and loads need one entry per expert (at least one); got {bias.Length} and {loads.Length}.", nameof(loads));
        }

        if (!float.IsFinite(rate) || rate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The bias update rate must be finite and at least 0.");
        }

        long total = 0;
        for (int e = 0; e < loads.Length; e++)
        {
            if (loads[e] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(loads), loads[e],
                    string.Create(CultureInfo.InvariantCulture, $"loads[{e}] must be at least 0."));
            }

            total += loads[e];
        }

        // Compare E · load with the total rather than load with a rounded mean: the sign is exact.
        for (int e = 0; e < loads.Length; e++)
        {
            long scaled = (long)loads[e] * loads.Length;
            bias[e] += scaled < total ? rate : scaled > total ? -rate : 0f;
        }
    }

    private static void CheckBias(ReadOnlySpan<float> bias)
    {
        for (int e = 0; e < bias.Length; e++)
        {
            if (!float.IsFinite(bias[e]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"bias[{e}] is {bias[e]}; a bias must be finite."), nameof(bias));
            }
        }
    }
}
