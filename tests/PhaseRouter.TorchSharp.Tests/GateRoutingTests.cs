namespace PhaseRouter.TorchSharp.Tests;

/// <summary>The managed routing algorithms behind the gates, without tensors.</summary>
public sealed class GateRoutingTests
{
    [Fact]
    public void TopKIsBestFirstWithTiesToTheLowerIndex_AndNeverPicksMinusInfinity()
    {
        float[] scores = [1f, 3f, 3f, 2f, float.NegativeInfinity, 0f, 0f, -1f];
        Assert.Equal([1, 2], GateRouting.TopK(scores, 2, 4, 2)[..2]);
        Assert.Equal([1, 2], GateRouting.TopK(scores, 2, 4, 2)[2..]);
        // −∞ marks a forbidden pair, as in the Core router: that slot stays empty.
        Assert.Equal([1, 2, 3, 0, 1, 2, 3, -1], GateRouting.TopK(scores, 2, 4, 4));
        Assert.Equal([1, 1], GateRouting.TopK(scores, 2, 4, 1));
    }

    [Fact]
    public void GreedySlotMajorServesAllFirstChoicesBeforeSecondChoices()
    {
        // Capacity 1: token 1's first choice (expert 1) beats token 0's second choice (expert 1).
        int[] choices = [0, 1, 1, 0];
        Assert.Equal([0, -1, 1, -1], GateRouting.GreedySlotMajor(choices, 2, 2, 2, 1));
    }

    [Fact]
    public void SpillWithoutOverflowIsPlainTopK()
    {
        var random = new Random(1);
        float[] logits = Enumerable.Range(0, 50 * 6).Select(_ => (float)random.NextDouble()).ToArray();
        Assert.Equal(GateRouting.TopK(logits, 50, 6, 2), GateRouting.Spill(logits, 50, 6, 2, 50, 0, 1, out _));
    }

    [Fact]
    public void SpillOutputsItsUncappedPhaseOneChoices()
    {
        var random = new Random(2);
        float[] logits = Enumerable.Range(0, 40 * 5).Select(_ => (float)random.NextDouble()).ToArray();
        int[] routes = GateRouting.Spill(logits, 40, 5, 2, 10, 0, 1, out int[] choices);
        Assert.Equal(GateRouting.TopK(logits, 40, 5, 2), choices);
        Assert.NotEqual(choices, routes);
        GateRouting.Spill([], 0, 5, 2, 1, 0, 1, out int[] none);
        Assert.Empty(none);
    }

    [Fact]
    public void CountChoicesSkipsEmptySlotsAndRejectsOutOfRangeExperts()
    {
        Assert.Equal([2, 0, 1], GateRouting.CountChoices([0, -1, 2, 0], 3));
        Assert.Throws<ArgumentException>(() => GateRouting.CountChoices([0, 3], 3));
        Assert.Throws<ArgumentException>(() => GateRouting.CountChoices([-2], 3));
    }

    [Fact]
    public void SpillServesTheHighestTopLogitFirst()
    {
        // Both tokens prefer expert 0 (capacity 1); token 1's logit is higher, so it keeps expert 0.
        float[] logits = [1f, 0f, 0.5f, 5f, 0f, 1f];
        int[] routes = GateRouting.Spill(logits, 2, 3, 1, 1, 0, 1, out _);
        Assert.Equal(0, routes[1]);
        Assert.NotEqual(0, routes[0]);
    }

    [Fact]
    public void SpillNeverBreachesCapacityAndDropsNothingForTopOneWhenCapacityCoversTheTokens()
    {
        for (int trial = 0; trial < 300; trial++)
        {
            var random = new Random(trial);
            int tokens = random.Next(1, 80);
            int experts = random.Next(1, 10);
            int k = random.Next(1, experts + 1);
            int capacity = random.Next(0, tokens + 1);
            bool skewed = random.Next(2) == 0;
            float[] logits = Enumerable.Range(0, tokens * experts)
                .Select(i => (float)random.NextDouble() + (skewed && i % experts == 0 ? 10f : 0f)).ToArray();
            int[] routes = GateRouting.Spill(logits, tokens, experts, k, capacity, (ulong)trial, 1, out _);

            var loads = new int[experts];
            for (int t = 0; t < tokens; t++)
            {
                var slots = routes.AsSpan(t * k, k).ToArray();
                var filled = slots.TakeWhile(e => e >= 0).ToArray();
                Assert.True(slots.Skip(filled.Length).All(e => e == -1));
                Assert.Equal(filled.Length, filled.Distinct().Count());
                foreach (int e in filled)
                {
                    loads[e]++;
                }
            }

            Assert.True(loads.Max() <= capacity, $"trial {trial}: load {loads.Max()} > capacity {capacity}");
            if (k == 1 && (long)capacity * experts >= tokens)
            {
                Assert.Equal(tokens, loads.Sum());
            }
        }
    }

    [Fact]
    public void MenuWithoutCapacityPressureGivesEveryTokenKExpertsFromItsMenu()
    {
        var random = new Random(2);
        float[] logits = Enumerable.Range(0, 64 * 8).Select(_ => (float)random.NextDouble()).ToArray();
        int[] routes = GateRouting.Menu(logits, 64, 8, 2, 4, null, 1000, 5, 1);
        Assert.DoesNotContain(-1, routes);
        var menus = Router.CandidatesFromDegrees(Enumerable.Repeat(4, 64).ToArray(), Enumerable.Repeat(64, 8).ToArray(), new RouterOptions { Seed = 5 });
        for (int t = 0; t < 64; t++)
        {
            Assert.True(menus[t, routes[2 * t]] && menus[t, routes[2 * t + 1]], $"token {t} left its menu");
        }
    }

    [Fact]
    public void HashChoicesAreDistinctAndKeyedBySeed()
    {
        int[] a = GateRouting.HashChoices(100, 5, 3, 1);
        Assert.Equal(a, GateRouting.HashChoices(100, 5, 3, 1));
        Assert.NotEqual(a, GateRouting.HashChoices(100, 5, 3, 2));
        for (int t = 0; t < 100; t++)
        {
            Assert.Equal(3, a.AsSpan(3 * t, 3).ToArray().Distinct().Count());
        }
    }

    [Fact]
    public void SpillWithAReusedDirtyScratchBuffer_GivesTheSameRoutes()
    {
        var random = new Random(5);
        float[] scratch = Enumerable.Repeat(float.NaN, 64 * 8).ToArray(); // garbage a previous batch may have left
        for (int trial = 0; trial < 5; trial++)
        {
            // Every token prefers expert 0 or 1, so most of them overflow into phase 2.
            float[] logits = Enumerable.Range(0, 64 * 8).Select(x => (float)random.NextDouble() + (x % 8 < 2 ? 2f : 0f)).ToArray();
            int[] fresh = GateRouting.Spill(logits, 64, 8, 2, 20, (ulong)trial, 1, out int[] freshChoices);
            int[] reused = GateRouting.Spill(logits, 64, 8, 2, 20, (ulong)trial, 1, out int[] reusedChoices, scratch);
            Assert.Equal(fresh, reused);
            Assert.Equal(freshChoices, reusedChoices);
        }
    }
}
