using FsCheck.Xunit;
using PhaseRouter.Gating;

namespace PhaseRouter.Core.Tests.Gating;

/// <summary>Every gate policy through the public Core API alone, against <see cref="GateReference"/>.</summary>
public class GateRoutingTests
{
    [Property(MaxTest = 100)]
    public bool TopK_MatchesTheReference(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 80);
        int k = rng.Next(1, Math.Min(experts, 20) + 1);
        int tokens = rng.Next(0, 60);
        float[] scores = Ties(rng, tokens, experts, k);
        var ws = new GateWorkspace();
        GateRouting.TopK(scores, experts, k, ws);
        int[] expected = GateReference.TopK(scores, experts, k);
        int[] counts = GateReference.Count(expected, experts);
        return ws.Routes.SequenceEqual(expected) && ws.Choices.SequenceEqual(expected) && ws.Loads.SequenceEqual(counts)
            && ws.Demand.SequenceEqual(counts) && ws.DroppedSlots == 0 && ws.Tokens == tokens;
    }

    [Property(MaxTest = 100)]
    public bool SlotMajorDrop_MatchesTheReference(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 40);
        int k = rng.Next(1, Math.Min(experts, 4) + 1);
        int tokens = rng.Next(0, 80);
        int capacity = rng.Next(0, tokens + 2);
        float[] scores = GateReference.RandomScores(rng, tokens, experts, adversarial: rng.Next(2) == 0);
        var ws = new GateWorkspace();
        GateRouting.SlotMajorDrop(scores, experts, k, capacity, ws);
        int[] choices = GateReference.TopK(scores, experts, k);
        int[] routes = GateReference.SlotMajor(choices, tokens, experts, k, capacity);
        int[] loads = GateReference.Count(routes, experts);
        return ws.Routes.SequenceEqual(routes) && ws.Choices.SequenceEqual(choices) && ws.Loads.SequenceEqual(loads)
            && ws.Demand.SequenceEqual(GateReference.Count(choices, experts))
            && ws.DroppedSlots == tokens * k - loads.Sum() && ws.Capacity == capacity;
    }

    [Fact]
    public void Hash_ChoosesDistinctSeededExperts_ThenDropsBySlotRank()
    {
        var ws = new GateWorkspace();
        GateRouting.Hash(100, 5, 3, 40, 1, ws);
        int[] choices = ws.Choices.ToArray();
        int[] routes = ws.Routes.ToArray();
        Assert.All(Enumerable.Range(0, 100), t => Assert.Equal(3, choices.Skip(t * 3).Take(3).Distinct().Count()));
        Assert.All(choices, e => Assert.InRange(e, 0, 4));
        Assert.Equal(GateReference.SlotMajor(choices, 100, 5, 3, 40), routes);
        Assert.Equal(GateReference.Count(choices, 5), ws.Demand.ToArray());
        Assert.Equal(GateReference.Count(routes, 5), ws.Loads.ToArray());
        Assert.Equal(300 - ws.Loads.ToArray().Sum(), ws.DroppedSlots);

        GateRouting.Hash(100, 5, 3, 40, 1, ws);
        Assert.Equal(choices, ws.Choices.ToArray());
        GateRouting.Hash(100, 5, 3, 40, 2, ws);
        Assert.NotEqual(choices, ws.Choices.ToArray());
    }

    [Property(MaxTest = 150)]
    public bool Spill_KeepsTheFirstPhase_RespectsCapacity_AndCountsRight(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 24);
        int k = rng.Next(1, Math.Min(experts, 4) + 1);
        int tokens = rng.Next(0, 120);
        int capacity = rng.Next(0, tokens / Math.Max(1, experts / k) + 3);
        float[] scores = GateReference.RandomScores(rng, tokens, experts, adversarial: rng.Next(2) == 0);
        var ws = new GateWorkspace();
        GateRouting.Spill(scores, experts, k, capacity, (ulong)seed, ws);
        int[] routes = ws.Routes.ToArray();
        // Slots of the first phase that ended on another expert: only completion exchanges move them.
        int moved = 0;
        int[] first = GateReference.SpillFirstPhase(scores, experts, k, capacity);
        int[] loads = GateReference.Count(routes, experts);
        for (int t = 0; t < tokens; t++)
        {
            moved += first.Skip(t * k).Take(k).Any(e => e >= 0 && !routes.Skip(t * k).Take(k).Contains(e)) ? 1 : 0;
            int[] mine = routes.Skip(t * k).Take(k).ToArray();
            int filled = mine.TakeWhile(e => e >= 0).Count();
            // The first phase's routes are each token's leading slots (completion may move a low-priority token's
            // slot to another expert; count those below), filled slots come first, no expert twice.
            if (mine.Skip(filled).Any(e => e >= 0) || mine.Where(e => e >= 0).Distinct().Count() != filled)
            {
                return false;
            }
        }

        bool feasible = (long)experts * capacity >= (long)tokens * k;
        return loads.All(l => l <= capacity) && ws.Loads.SequenceEqual(loads) && ws.DroppedSlots == tokens * k - loads.Sum()
            && ws.Choices.SequenceEqual(GateReference.TopK(scores, experts, k))
            && ws.Demand.SequenceEqual(GateReference.Count(GateReference.TopK(scores, experts, k), experts))
            && (!feasible || ws.DroppedSlots == 0)
            // A slot is dropped only when no expert has room left.
            && (ws.DroppedSlots == 0 || loads.All(l => l == capacity))
            // Tokens that overflowed nothing keep their top-k untouched unless an exchange moved one of their slots.
            && Enumerable.Range(0, tokens).Count(t => !first.Skip(t * k).Take(k).SequenceEqual(routes.Skip(t * k).Take(k)))
                <= Enumerable.Range(0, tokens).Count(t => first.Skip(t * k).Take(k).Contains(-1)) + moved;
    }

    /// <summary>Spill completion: whenever <c>E · capacity ≥ tokens · k</c> and <c>k ≤ E</c>, nothing is dropped, for random and adversarial scores.</summary>
    [Property(MaxTest = 300)]
    public bool Spill_DropsNothing_WhenCapacityCoversEverySlot(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 40);
        int k = rng.Next(1, Math.Min(experts, 6) + 1);
        int tokens = rng.Next(0, 200);
        int capacity = (tokens * k + experts - 1) / experts + (rng.Next(3) == 0 ? rng.Next(0, 3) : 0);
        float[] scores = GateReference.RandomScores(rng, tokens, experts, adversarial: rng.Next(3) != 0);
        var ws = new GateWorkspace();
        GateRouting.Spill(scores, experts, k, capacity, (ulong)seed, ws);
        int[] routes = ws.Routes.ToArray();
        int[] loads = GateReference.Count(routes, experts);
        return ws.DroppedSlots == 0 && routes.All(e => e >= 0) && loads.All(l => l <= capacity)
            && Enumerable.Range(0, tokens).All(t => routes.Skip(t * k).Take(k).Distinct().Count() == k);
    }

    /// <summary>The smallest case where taking open experts is not enough: the third token must displace one.</summary>
    [Fact]
    public void Spill_ExchangesWhenEveryOpenExpertIsAlreadyHeld()
    {
        // E = 3, k = 2, capacity 2: the first two tokens fill experts 0 and 1; the third can use expert 2 only once.
        float[] scores = [3, 2, 0, 3, 2, 0, 3, 2, 0];
        var ws = new GateWorkspace();
        GateRouting.Spill(scores, 3, 2, 2, 0, ws);
        Assert.Equal(0, ws.DroppedSlots);
        Assert.Equal([2, 2, 2], ws.Loads.ToArray());
        int[] routes = ws.Routes.ToArray();
        Assert.All(Enumerable.Range(0, 3), t => Assert.Equal(2, routes.Skip(t * 2).Take(2).Distinct().Count()));
    }

    [Fact]
    public void Spill_ServesTheHighestTopScoreFirst()
    {
        // Both tokens prefer expert 0 (capacity 1); token 1's score is higher, so it keeps expert 0.
        float[] scores = [1f, 0f, 0.5f, 5f, 0f, 1f];
        var ws = new GateWorkspace();
        GateRouting.Spill(scores, 3, 1, 1, 0, ws);
        Assert.Equal(0, ws.Routes[1]);
        Assert.NotEqual(0, ws.Routes[0]);
    }

    [Fact]
    public void Menu_WithoutCapacityPressure_GivesEveryTokenKExpertsFromItsMenu()
    {
        var random = new Random(2);
        float[] scores = Enumerable.Range(0, 64 * 8).Select(_ => (float)random.NextDouble()).ToArray();
        var ws = new GateWorkspace();
        GateRouting.Menu(scores, 8, 2, 4, [], 1000, 5, ws);
        int[] routes = ws.Routes.ToArray();
        Assert.DoesNotContain(-1, routes);
        var menus = Router.CandidatesFromDegrees(Enumerable.Repeat(4, 64).ToArray(), Enumerable.Repeat(64, 8).ToArray(), new RouterOptions { Seed = 5 });
        for (int t = 0; t < 64; t++)
        {
            Assert.True(menus[t, routes[2 * t]] && menus[t, routes[2 * t + 1]], $"token {t} left its menu");
        }
    }

    [Fact]
    public void Spill_WithAmpleCapacity_IsTopK()
    {
        var rng = new Random(3);
        float[] scores = GateReference.RandomScores(rng, 50, 6, adversarial: false);
        var ws = new GateWorkspace();
        GateRouting.Spill(scores, 6, 2, 50, 0, ws);
        Assert.Equal(GateReference.TopK(scores, 6, 2), ws.Routes.ToArray());
    }

    [Property(MaxTest = 60)]
    public bool Menu_IsTheOperatorWithScoresAndCapacities(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(2, 20);
        int k = rng.Next(1, Math.Min(experts, 3) + 1);
        int menu = rng.Next(k, experts + 1);
        int tokens = rng.Next(0, 100);
        int capacity = rng.Next(0, tokens + 1);
        int[] acceptance = rng.Next(2) == 0 ? [] : Enumerable.Range(0, experts).Select(_ => rng.Next(0, tokens + 3)).ToArray();
        float[] scores = GateReference.RandomScores(rng, tokens, experts, adversarial: rng.Next(2) == 0);
        var ws = new GateWorkspace();
        GateRouting.Menu(scores, experts, k, menu, acceptance, capacity, (ulong)seed, ws);
        int[] expected = ReferenceOperator(scores, tokens, experts, k, menu, acceptance, capacity, (ulong)seed);
        int[] choices = GateReference.TopK(scores, experts, k);
        return ws.Routes.SequenceEqual(expected) && ws.Loads.SequenceEqual(GateReference.Count(expected, experts))
            && ws.Choices.SequenceEqual(choices) && ws.Demand.SequenceEqual(GateReference.Count(choices, experts))
            && ws.Loads.ToArray().All(l => l <= capacity);
    }

    [Property(MaxTest = 60)]
    public bool Oblivious_IsTheOperatorWithoutScores(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(2, 20);
        int k = rng.Next(1, Math.Min(experts, 3) + 1);
        int menu = rng.Next(k, experts + 1);
        int tokens = rng.Next(0, 100);
        int capacity = rng.Next(0, tokens + 1);
        float[] scores = GateReference.RandomScores(rng, tokens, experts, adversarial: false);
        var ws = new GateWorkspace();
        GateRouting.Oblivious(tokens, experts, k, menu, [], capacity, (ulong)seed, ws, scores);
        int[] expected = ReferenceOperator(null, tokens, experts, k, menu, [], capacity, (ulong)seed);
        int[] choices = GateReference.TopK(scores, experts, k);
        bool withScores = ws.Routes.SequenceEqual(expected) && ws.Demand.SequenceEqual(GateReference.Count(choices, experts));
        GateRouting.Oblivious(tokens, experts, k, menu, [], capacity, (ulong)seed, ws);
        return withScores && ws.Routes.SequenceEqual(expected) && ws.Choices.IsEmpty && ws.Demand.SequenceEqual(ws.Loads.ToArray());
    }

    [Property(MaxTest = 60)]
    public bool GroupedDispatch_ListsEveryRoutedSlotByExpert(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 12);
        int k = rng.Next(1, Math.Min(experts, 3) + 1);
        int tokens = rng.Next(0, 60);
        var ws = new GateWorkspace();
        GateRouting.SlotMajorDrop(GateReference.RandomScores(rng, tokens, experts, false), experts, k, rng.Next(0, tokens + 1), ws);
        int[] routes = ws.Routes.ToArray();
        var expectedTokens = new List<int>();
        var expectedSlots = new List<int>();
        var offsets = new List<int> { 0 };
        for (int e = 0; e < experts; e++)
        {
            for (int s = 0; s < routes.Length; s++)
            {
                if (routes[s] == e)
                {
                    expectedTokens.Add(s / k);
                    expectedSlots.Add(s);
                }
            }

            offsets.Add(expectedSlots.Count);
        }

        return ws.ExpertOffsets.SequenceEqual(offsets.ToArray()) && ws.DispatchTokens.SequenceEqual(expectedTokens.ToArray())
            && ws.DispatchSlots.SequenceEqual(expectedSlots.ToArray()) && ws.RoutedSlots == expectedSlots.Count;
    }

    [Fact]
    public void AWorkspaceReusedAcrossSizes_GivesTheSameResultsAsAFreshOne()
    {
        var rng = new Random(11);
        var reused = new GateWorkspace();
        foreach (int tokens in new[] { 300, 7, 0, 120, 300 })
        {
            float[] scores = GateReference.RandomScores(rng, tokens, 8, adversarial: tokens % 2 == 0);
            var fresh = new GateWorkspace();
            GateRouting.Spill(scores, 8, 2, 40, 5, reused);
            GateRouting.Spill(scores, 8, 2, 40, 5, fresh);
            Assert.Equal(fresh.Routes.ToArray(), reused.Routes.ToArray());
            Assert.Equal(fresh.Demand.ToArray(), reused.Demand.ToArray());
            Assert.Equal(fresh.DispatchSlots.ToArray(), reused.DispatchSlots.ToArray());
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteScores_AreRejectedNamingTokenAndExpert(float bad)
    {
        var scores = new float[40 * 6];
        scores[17 * 6 + 4] = bad;
        var ws = new GateWorkspace();
        foreach (Action route in new Action[]
        {
            () => GateRouting.TopK(scores, 6, 2, ws),
            () => GateRouting.SlotMajorDrop(scores, 6, 2, 10, ws),
            () => GateRouting.Spill(scores, 6, 2, 10, 0, ws),
            () => GateRouting.Menu(scores, 6, 2, 3, [], 10, 0, ws),
            () => GateRouting.Oblivious(40, 6, 2, 3, [], 10, 0, ws, scores),
        })
        {
            var error = Assert.ThrowsAny<ArgumentException>(route);
            Assert.Contains("token 17, expert 4", error.Message);
        }
    }

    [Fact]
    public void BadSizes_AreRejectedNamingTheParameter()
    {
        var ws = new GateWorkspace();
        Assert.Equal("k", Assert.ThrowsAny<ArgumentException>(() => GateRouting.Spill(new float[12], 4, 5, 3, 0, ws)).ParamName);
        Assert.Equal("scores", Assert.ThrowsAny<ArgumentException>(() => GateRouting.Spill(new float[10], 4, 1, 3, 0, ws)).ParamName);
        Assert.Equal("capacity", Assert.ThrowsAny<ArgumentException>(() => GateRouting.SlotMajorDrop(new float[8], 4, 1, -1, ws)).ParamName);
        Assert.Equal("menuSize", Assert.ThrowsAny<ArgumentException>(() => GateRouting.Menu(new float[8], 4, 2, 1, [], 3, 0, ws)).ParamName);
        Assert.Equal("acceptanceDegrees", Assert.ThrowsAny<ArgumentException>(() => GateRouting.Menu(new float[8], 4, 2, 2, [1, 2], 3, 0, ws)).ParamName);
        Assert.Equal("acceptanceDegrees", Assert.ThrowsAny<ArgumentException>(() => GateRouting.Menu(new float[8], 4, 2, 2, [1, 2, -1, 0], 3, 0, ws)).ParamName);
        Assert.Equal("workspace", Assert.ThrowsAny<ArgumentException>(() => GateRouting.Hash(3, 4, 1, 3, 0, null!)).ParamName);
        Assert.Equal("value", Assert.ThrowsAny<ArgumentException>(() => ws.MaxDegreeOfParallelism = 0).ParamName);
    }

    /// <summary>The menu policies' routes straight from the public operator.</summary>
    private static int[] ReferenceOperator(float[]? scores, int tokens, int experts, int k, int menu, int[] acceptance, int capacity, ulong seed)
    {
        if (tokens == 0)
        {
            return [];
        }

        int[] targetDegrees = Enumerable.Range(0, experts).Select(e => acceptance.Length == 0 ? tokens : Math.Min(acceptance[e], tokens)).ToArray();
        return Router.RouteDegrees(Enumerable.Repeat(menu, tokens).ToArray(), targetDegrees, k, new RouterOptions
        {
            Seed = seed,
            Scores = scores,
            TargetCapacities = Enumerable.Repeat(capacity, experts).ToArray(),
        }).ToArray();
    }

    /// <summary>
    /// Few distinct values. −0 only for k ≤ 16: the whole-row scan ranks ±0 as ties (to the lower expert) while the
    /// long-list selector behind k &gt; 16 ranks +0 above −0.
    /// </summary>
    private static float[] Ties(Random rng, int tokens, int experts, int k) =>
        Enumerable.Range(0, tokens * experts).Select(_ => rng.Next(4) == 0 && k <= 16 ? -0f : rng.Next(5) / 2f).ToArray();
}
