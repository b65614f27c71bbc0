using PhaseRouter.Gating;

namespace PhaseRouter.Core.Tests.Gating;

/// <summary>Loss-free bias balancing: the update rule, the biased selection, and balance on a skewed stream.</summary>
public class BalanceBiasTests
{
    [Fact]
    public void Update_MovesEachBiasBySignOfMeanMinusLoad()
    {
        float[] bias = [0f, 0.5f, -0.5f, 0f];
        GateRouting.UpdateBalanceBias(bias, [10, 2, 4, 4], 0.25f); // mean 5
        Assert.Equal([-0.25f, 0.75f, -0.25f, 0.25f], bias);
        GateRouting.UpdateBalanceBias(bias, [3, 3, 3, 3], 0.25f); // balanced: sign 0 everywhere
        Assert.Equal([-0.25f, 0.75f, -0.25f, 0.25f], bias);
        GateRouting.UpdateBalanceBias(bias, [1, 1, 1, 2], 0.5f); // mean 1.25 is not an integer: exact comparison
        Assert.Equal([0.25f, 1.25f, 0.25f, -0.25f], bias);
    }

    [Fact]
    public void AddBias_ShiftsEachExpertsColumn()
    {
        float[] destination = new float[6];
        GateRouting.AddBias([1f, 2f, 3f, 4f, 5f, 6f], [0.5f, -1f, 0f], destination);
        Assert.Equal([1.5f, 1f, 3f, 4.5f, 4f, 6f], destination);
    }

    [Fact]
    public void BadInput_IsRejected_AndTheBufferIsUntouched()
    {
        float[] bias = [1f, 2f];
        Assert.Equal("loads", Assert.Throws<ArgumentException>(() => GateRouting.UpdateBalanceBias(bias, [1, 2, 3], 0.1f)).ParamName);
        Assert.Equal("loads", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.UpdateBalanceBias(bias, [1, -2], 0.1f)).ParamName);
        Assert.Equal("rate", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.UpdateBalanceBias(bias, [1, 2], float.NaN)).ParamName);
        Assert.Equal("rate", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.UpdateBalanceBias(bias, [1, 2], -1f)).ParamName);
        Assert.Equal([1f, 2f], bias);
        float[] destination = [7f, 7f];
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => GateRouting.AddBias([1f, 2f], [float.NaN, 0f], destination)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => GateRouting.AddBias([1f, 2f], [0f, 0f], new float[3])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => GateRouting.AddBias([1f, 2f, 3f], [0f, 0f], new float[3])).ParamName);
        Assert.Equal([7f, 7f], destination);
    }

    [Fact]
    public void Bias_BalancesASkewedStream()
    {
        // Every token's logits favour low experts by a fixed skew; each batch is routed top-k by logit + bias, then the
        // bias is updated with that batch's loads, as the gates do per training step.
        const int experts = 8;
        const int k = 2;
        const int tokens = 512;
        var rng = new Random(4);
        float[] bias = new float[experts];
        float[] biased = new float[tokens * experts];
        var ws = new GateWorkspace();
        var violations = new List<double>();
        for (int step = 0; step < 300; step++)
        {
            float[] scores = [.. Enumerable.Range(0, tokens * experts).Select(i => (float)(rng.NextDouble() - 0.15 * (i % experts)))];
            GateRouting.AddBias(scores, bias, biased);
            GateRouting.TopK(biased, experts, k, ws);
            violations.Add(MaxViolation(ws.Loads));
            GateRouting.UpdateBalanceBias(bias, ws.Loads, 0.01f);
        }

        double first = violations.Take(10).Average();
        double last = violations.TakeLast(50).Average();
        Assert.True(first > 1.0, $"the stream should start skewed (MaxVio {first:F3})");
        Assert.True(last < 0.2 * first, $"MaxVio fell only from {first:F3} to {last:F3}");
        Assert.True(bias[0] < bias[experts - 1], "the favoured expert should end with the lower bias");
    }

    private static double MaxViolation(ReadOnlySpan<int> loads)
    {
        double mean = 0;
        foreach (int l in loads)
        {
            mean += l;
        }

        mean /= loads.Length;
        int max = 0;
        foreach (int l in loads)
        {
            max = Math.Max(max, l);
        }

        return max / mean - 1;
    }
}
