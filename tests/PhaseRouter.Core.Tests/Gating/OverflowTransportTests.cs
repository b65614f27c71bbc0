using System.Globalization;
using FsCheck.Xunit;
using PhaseRouter.Gating;

namespace PhaseRouter.Core.Tests.Gating;

/// <summary>
/// Spill's operator pass (<see cref="OverflowTransport"/>) computes the Router's routes without building the
/// operator's inputs: it must equal <see cref="GateReference.SpillTransportViaRouter"/> (the public Router with those
/// inputs) on every batch, and whole spill batches must route exactly as before the speed work (golden hashes).
/// </summary>
public class OverflowTransportTests
{
    [Property(MaxTest = 300)]
    public bool EqualsTheRouterWithTheSpillInputs(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 80);
        int k = rng.Next(1, Math.Min(experts, 6) + 1);
        int tokens = rng.Next(1, 400);
        int capacity = rng.Next(0, tokens * k / experts + 4);
        float[] scores = rng.Next(3) switch
        {
            0 => GateReference.RandomScores(rng, tokens, experts, adversarial: true),
            1 => Quantised(rng, tokens, experts),
            _ => GateReference.RandomScores(rng, tokens, experts, adversarial: false),
        };
        ulong batchSeed = (ulong)rng.NextInt64();

        // The first phase, then the reference operator pass.
        int[] expectedRoutes = GateReference.SpillFirstPhase(scores, experts, k, capacity);
        int[] expectedLoads = GateReference.Count(expectedRoutes, experts);
        int[] expectedNeed = Enumerable.Range(0, tokens).Select(t => expectedRoutes.Skip(t * k).Take(k).Count(e => e < 0)).ToArray();
        int overflowTokens = expectedNeed.Count(n => n > 0);
        var ws = new GateWorkspace();
        ws.Begin(tokens, experts, k, capacity);
        expectedRoutes.CopyTo(ws.RouteBuffer);
        expectedLoads.CopyTo(ws.LoadBuffer);
        expectedNeed.CopyTo(GateWorkspace.Ensure(ref ws.Need, tokens), 0);
        GateReference.SpillTransportViaRouter(scores, experts, k, capacity, batchSeed, expectedRoutes, expectedLoads, expectedNeed);
        if (overflowTokens > 0)
        {
            OverflowTransport.Run(scores, experts, k, capacity, batchSeed, overflowTokens, ws);
        }

        return ws.RouteBuffer.SequenceEqual(expectedRoutes) && ws.LoadBuffer.SequenceEqual(expectedLoads)
            && ws.Need.AsSpan(0, tokens).SequenceEqual(expectedNeed);
    }

    /// <summary>
    /// Whole spill batches, hashed (routes, loads, demand, drops), pinned from the code before the speed work of issue 8
    /// (commit 63c9d5d): the first shape is the `gate` benchmark's (clustered tokens, heavy overflow).
    /// </summary>
    [Theory]
    [InlineData(8192, 64, 2, 1.25, 1, "f60c2091925ec619")]
    [InlineData(4096, 64, 2, 1.0, 2, "6328d73132e42f97")]
    [InlineData(3000, 16, 1, 1.0, 3, "5cc80a04b021c7ef")]
    [InlineData(2048, 8, 1, 0.8, 4, "40a416a22cb2c457")]
    [InlineData(1500, 48, 4, 1.1, 5, "49dd9adc2d8a2bb9")]
    [InlineData(1000, 100, 3, 1.5, 6, "ec1de8c6432cf6b7")]
    [InlineData(700, 32, 20, 1.0, 7, "e1c50cbba608b2cb")]
    [InlineData(999, 24, 2, 1.25, 8, "b3e18faee289548f")]
    public void Spill_RoutesAsBefore(int tokens, int experts, int k, double capacityFactor, int seed, string golden)
    {
        float[] scores = Clustered(tokens, experts, seed);
        var ws = new GateWorkspace();
        GateRouting.Spill(scores, experts, k, ExpertCapacity.Of(capacityFactor, tokens, k, experts), (ulong)seed, ws);
        Assert.Equal(golden, Hash(ws));
    }

    /// <summary>Tokens around 16 centres plus noise, rounded to 1/64 so that ties occur: an untrained gate's logits.</summary>
    internal static float[] Clustered(int tokens, int experts, int seed)
    {
        var rng = new Random(seed);
        var centres = new float[16 * experts];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)(rng.NextDouble() * 4 - 2);
        }

        var scores = new float[tokens * experts];
        for (int t = 0; t < tokens; t++)
        {
            int c = rng.Next(16);
            for (int e = 0; e < experts; e++)
            {
                scores[t * experts + e] = MathF.Round((centres[c * experts + e] + (float)(rng.NextDouble() - 0.5)) * 64) / 64;
            }
        }

        return scores;
    }

    internal static string Hash(GateWorkspace ws)
    {
        ulong h = 14695981039346656037UL;
        foreach (int x in ws.Routes.ToArray().Concat(ws.Loads.ToArray()).Concat(ws.Demand.ToArray()).Append(ws.DroppedSlots))
        {
            h = (h ^ (uint)x) * 1099511628211UL;
        }

        return h.ToString("x16", CultureInfo.InvariantCulture);
    }

    /// <summary>Scores from a few values, ±0 among them: many ties.</summary>
    private static float[] Quantised(Random rng, int tokens, int experts)
    {
        var scores = new float[tokens * experts];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = rng.Next(5) switch
            {
                0 => 0f,
                1 => -0f,
                2 => 1f,
                3 => 0.5f,
                _ => -1f,
            };
        }

        return scores;
    }
}
