using FsCheck.Xunit;
using PhaseRouter.Gating;
using PhaseRouter.Kernels;

namespace PhaseRouter.Core.Tests.Gating;

public class PackedGatingTests
{
    [Property(MaxTest = 300)]
    public bool TopMask_IsTheBestDepthOfTheCandidates(int seed)
    {
        var rng = new Random(seed);
        int columns = rng.Next(1, 65);
        float[] row = Scores(rng, 1, columns);
        ulong candidates = (ulong)rng.NextInt64() & TopMask.All(columns);
        int depth = rng.Next(0, columns + 1);
        ulong expected = 0;
        foreach (int c in Ranked(row, 0, columns).Where(c => (candidates >> c & 1) != 0).Take(depth))
        {
            expected |= 1UL << c;
        }

        return TopMask.Best(row, candidates, depth) == expected;
    }

    /// <summary>Both paths (E ≤ 64 by masks and transposes, wider rows by sorting) against a full sort, with ties and ±0.</summary>
    [Property(MaxTest = 150)]
    public bool Pack_MatchesTheReference_AndItsDegreesAreTheMasksCounts(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 4) == 1 ? rng.Next(65, 140) : rng.Next(1, 65);
        int tokens = rng.Next(0, 150);
        int m = rng.Next(0, experts + 1);
        int a = rng.Next(0, experts + 1);
        float[] scores = Scores(rng, tokens, experts);
        var pack = new AffinityPack();
        pack.Pack(Scores(rng, rng.Next(0, 70), experts), experts, rng.Next(0, experts + 1), rng.Next(0, experts + 1)); // a reused buffer
        pack.Pack(scores, experts, m, a);
        (BitMatrix s, BitMatrix t) = ReferencePack(scores, experts, m, a);
        int[] targetCounts = Enumerable.Range(0, experts).Select(e => Enumerable.Range(0, tokens).Count(i => t[e, i])).ToArray();
        return pack.Sources.Equals(s) && pack.Targets.Equals(t)
            && pack.SourceDegrees.ToArray().All(d => d == m) && pack.Sources.RowDegrees().SequenceEqual(pack.SourceDegrees.ToArray())
            && pack.TargetDegrees.SequenceEqual(targetCounts) && pack.Targets.RowDegrees().SequenceEqual(targetCounts)
            && targetCounts.Sum() == tokens * a && pack.Tokens == tokens && pack.Experts == experts;
    }

    /// <summary>A batch large enough for the parallel path (tokens · E above the inline threshold) packs as the reference does, with any thread count.</summary>
    [Fact]
    public void Pack_OfALargeBatch_IsTheReferenceWhateverTheThreadCount()
    {
        const int Experts = 64;
        const int Tokens = 4200;
        float[] scores = Scores(new Random(4), Tokens, Experts);
        (BitMatrix s, BitMatrix t) = ReferencePack(scores, Experts, 8, 32);
        var parallel = new AffinityPack();
        parallel.Pack(scores, Experts, 8, 32);
        var serial = new AffinityPack { MaxDegreeOfParallelism = 1 };
        serial.Pack(scores, Experts, 8, 32);
        Assert.Equal(s, parallel.Sources);
        Assert.Equal(t, parallel.Targets);
        Assert.Equal(s, serial.Sources);
        Assert.Equal(t, serial.Targets);
    }

    [Fact]
    public void Pack_RejectsBadInput_NamingTheParameter()
    {
        var pack = new AffinityPack();
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => pack.Pack(new float[7], 2, 1, 1)).ParamName);
        Assert.Equal("menuSize", Assert.Throws<ArgumentOutOfRangeException>(() => pack.Pack(new float[8], 2, 3, 1)).ParamName);
        Assert.Equal("acceptanceDepth", Assert.Throws<ArgumentOutOfRangeException>(() => pack.Pack(new float[8], 2, 1, -1)).ParamName);
        var error = Assert.Throws<ArgumentException>(() => pack.Pack([0, 1, float.NaN, 2], 2, 1, 1));
        Assert.Contains("token 1, expert 0", error.Message);
        Assert.Equal(0, pack.Tokens); // nothing was packed
    }

    /// <summary>
    /// Packed is the operator on the packed degrees (<see cref="Router.RouteDegrees(ReadOnlySpan{int}, ReadOnlySpan{int}, int, RouterOptions?)"/>
    /// with the same seed, scores and capacities), then the completion: where the operator fills every slot the routes
    /// are its routes bit for bit; where capacity cannot bind (capacity ≥ tokens, so the completion never exchanges),
    /// each token's leading slots are exactly its operator routes and only the slots the operator left empty are
    /// filled afterwards (distinct experts); otherwise the completion may move a low-priority token's slot (Spill's
    /// exchange) but never routes fewer slots than the operator did.
    /// </summary>
    [Property(MaxTest = 80)]
    public bool Packed_IsTheOperatorOnThePackedDegrees_PlusCompletion(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 24);
        int k = rng.Next(1, Math.Min(experts, 4) + 1);
        int m = rng.Next(k, experts + 1);
        int a = rng.Next(1, experts + 1);
        int tokens = rng.Next(0, 120);
        int capacity = rng.Next(2) == 0 ? tokens + rng.Next(0, 3) : rng.Next(0, tokens + 2);
        float[] scores = rng.Next(2) == 0 ? Scores(rng, tokens, experts) : GateReference.RandomScores(rng, tokens, experts, adversarial: true);
        var ws = new GateWorkspace();
        GateRouting.Packed(scores, experts, k, m, a, capacity, (ulong)seed, ws);
        (BitMatrix s, BitMatrix t) = ReferencePack(scores, experts, m, a);
        int[] routes = ws.Routes.ToArray();
        int[] loads = GateReference.Count(routes, experts);
        int[] choices = GateReference.TopK(scores, experts, k);
        int[] op = tokens == 0 ? [] : Router.RouteDegrees(s.RowDegrees(), t.RowDegrees(), k, new RouterOptions
        {
            Seed = (ulong)seed,
            Scores = scores,
            TargetCapacities = Enumerable.Repeat(capacity, experts).ToArray(),
        }).ToArray();
        if (op.All(e => e >= 0) && !routes.SequenceEqual(op))
        {
            return false;
        }

        for (int i = 0; i < tokens; i++)
        {
            int[] mine = routes.Skip(i * k).Take(k).ToArray();
            int[] operatorRoutes = op.Skip(i * k).Take(k).Where(e => e >= 0).ToArray();
            int filled = mine.TakeWhile(e => e >= 0).Count();
            bool prefixKept = mine.Take(operatorRoutes.Length).SequenceEqual(operatorRoutes);
            if ((capacity >= tokens && !prefixKept) || mine.Skip(filled).Any(e => e >= 0) || mine.Take(filled).Distinct().Count() != filled)
            {
                return false;
            }
        }

        bool feasible = (long)experts * capacity >= (long)tokens * k;
        return ws.Pack is { } pack && pack.Sources.Equals(s) && pack.Targets.Equals(t)
            && ws.RoutedSlots >= op.Count(e => e >= 0)
            && loads.All(l => l <= capacity) && ws.Loads.SequenceEqual(loads)
            && ws.Choices.SequenceEqual(choices) && ws.Demand.SequenceEqual(GateReference.Count(choices, experts))
            && (!feasible || ws.DroppedSlots == 0);
    }

    /// <summary>The operator alone fills every slot when each token has at least k candidates and capacity cannot bind: the routes are its routes exactly.</summary>
    [Fact]
    public void Packed_WithFullMenusAndAmpleCapacity_IsExactlyTheOperator()
    {
        const int Experts = 16;
        const int Tokens = 300;
        float[] scores = Scores(new Random(9), Tokens, Experts);
        var ws = new GateWorkspace();
        // m = E: every token is a candidate of exactly a = 5 experts (the arcs of T cover the ring 5 times).
        GateRouting.Packed(scores, Experts, 3, Experts, 5, Tokens, 77, ws);
        int[] op = Router.Route(ws.Pack!.Sources, ws.Pack.Targets, 3, new RouterOptions
        {
            Seed = 77,
            Scores = scores,
            TargetCapacities = Enumerable.Repeat(Tokens, Experts).ToArray(),
        }).ToArray();
        Assert.All(op, e => Assert.True(e >= 0));
        Assert.Equal(op, ws.Routes.ToArray());
    }

    /// <summary>Every token wants the same experts in the same order (and ties): capacity holds, and completion drops nothing when it can.</summary>
    [Property(MaxTest = 150)]
    public bool Packed_NeverExceedsCapacity_UnderAdversarialAffinities(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 70);
        int k = rng.Next(1, Math.Min(experts, 5) + 1);
        int m = rng.Next(k, experts + 1);
        int a = rng.Next(1, experts + 1);
        int tokens = rng.Next(0, 200);
        int fair = (tokens * k + experts - 1) / experts;
        int capacity = rng.Next(3) == 0 ? rng.Next(0, fair + 1) : fair + rng.Next(0, 3);
        float[] scores = rng.Next(3) == 0
            ? Enumerable.Repeat(1f, tokens * experts).ToArray() // all ties
            : GateReference.RandomScores(rng, tokens, experts, adversarial: true);
        var ws = new GateWorkspace();
        GateRouting.Packed(scores, experts, k, m, a, capacity, (ulong)seed, ws);
        int[] loads = GateReference.Count(ws.Routes.ToArray(), experts);
        bool feasible = (long)experts * capacity >= (long)tokens * k;
        return loads.All(l => l <= capacity) && (!feasible || ws.DroppedSlots == 0)
            && (ws.DroppedSlots == 0 || loads.All(l => l == capacity));
    }

    /// <summary>
    /// T's degrees follow the affinities, and so do the candidates: with full rows of S an expert is a candidate of
    /// exactly its T degree of tokens; with menus, more often the more tokens favour it; never when none does.
    /// </summary>
    [Fact]
    public void AnExpertFavouredByMoreTokens_GetsMoreCandidates()
    {
        const int Experts = 8;
        const int Tokens = 512;
        var rng = new Random(5);
        // Expert e is among a token's top 2 for about (7 − e) / 28 of the tokens; expert 7 for none.
        var scores = new float[Tokens * Experts];
        for (int t = 0; t < Tokens; t++)
        {
            int first = Pick(rng);
            int second;
            do
            {
                second = Pick(rng);
            }
            while (second == first);

            for (int e = 0; e < Experts; e++)
            {
                scores[t * Experts + e] = e == first ? 3f : e == second ? 2f : -(float)rng.NextDouble();
            }
        }

        var pack = new AffinityPack();
        pack.Pack(scores, Experts, Experts, 2);
        int[] degrees = pack.TargetDegrees.ToArray();
        Assert.Equal(0, degrees[7]);
        Assert.True(degrees[0] > degrees[3] && degrees[3] > degrees[6], string.Join(", ", degrees));
        Assert.Equal(degrees, ColumnCounts(Router.Candidates(pack.Sources, pack.Targets, new RouterOptions { Seed = 3 })));

        pack.Pack(scores, Experts, 4, 2);
        var total = new long[Experts];
        for (ulong seed = 0; seed < 16; seed++)
        {
            int[] counts = ColumnCounts(Router.Candidates(pack.Sources, pack.Targets, new RouterOptions { Seed = seed }));
            Assert.Equal(0, counts[7]);
            for (int e = 0; e < Experts; e++)
            {
                total[e] += counts[e];
            }
        }

        Assert.True(total[0] > total[3] && total[3] > total[6] && total[6] > 0, string.Join(", ", total));

        static int Pick(Random rng)
        {
            int r = rng.Next(28); // weights 7, 6, …, 1 for experts 0..6
            int e = 0;
            for (int w = 7; r >= w; w--)
            {
                r -= w;
                e++;
            }

            return e;
        }
    }

    /// <summary>Pins the packed policy's routes (packing, operator and completion) across versions, machines and instruction sets.</summary>
    [Fact]
    public void Packed_Routes_MatchGoldenHash()
    {
        const int Experts = 64;
        const int Tokens = 700;
        // Integer-hashed scores in [0, 4) with ties (no floating-point library calls, so the same bits everywhere).
        float[] scores = Enumerable.Range(0, Tokens * Experts).Select(i => (float)((uint)(i * 2654435761u) >> 26) / 16f).ToArray();
        var ws = new GateWorkspace();
        GateRouting.Packed(scores, Experts, 2, 16, 16, ExpertCapacity.Of(1.0, Tokens, 2, Experts), 2024, ws);
        ulong h = 14695981039346656037UL;
        foreach (int r in ws.Routes)
        {
            h = (h ^ (uint)r) * 1099511628211UL;
        }

        foreach (ulong w in ws.Pack!.Targets.Words)
        {
            h = (h ^ w) * 1099511628211UL;
        }

        Assert.Equal(4901599843958490894UL, h);
    }

    [Fact]
    public void Pack_IsOnlyExposedAfterThePackedPolicy()
    {
        float[] scores = Scores(new Random(1), 10, 4);
        var ws = new GateWorkspace();
        GateRouting.Packed(scores, 4, 1, 2, 2, 5, 0, ws);
        Assert.NotNull(ws.Pack);
        Assert.Equal(10, ws.Pack!.Sources.Rows);
        GateRouting.Spill(scores, 4, 1, 5, 0, ws);
        Assert.Null(ws.Pack);
    }

    [Fact]
    public void Packed_RejectsBadDepths_NamingTheParameter()
    {
        var ws = new GateWorkspace();
        Assert.Equal("acceptanceDepth", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.Packed(new float[8], 4, 1, 2, 0, 1, 0, ws)).ParamName);
        Assert.Equal("menuSize", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.Packed(new float[8], 4, 2, 1, 2, 1, 0, ws)).ParamName);
        Assert.Equal(4, GateRouting.DefaultAcceptanceDepth(8, 1, 4)); // ⌈2·1·8/4⌉
        Assert.Equal(32, GateRouting.DefaultAcceptanceDepth(64, 2, 8));
        Assert.Equal(4, GateRouting.DefaultAcceptanceDepth(64, 2, 64));
        Assert.Equal(3, GateRouting.DefaultAcceptanceDepth(3, 2, 2)); // at most E
        Assert.Equal(16, GateRouting.DefaultPackedMenuSize(64, 2)); // √256
        Assert.Equal(4, GateRouting.DefaultPackedMenuSize(8, 1)); // √16
        Assert.Equal(5, GateRouting.DefaultPackedMenuSize(12, 1)); // ⌈√24⌉
        Assert.Equal(1, GateRouting.DefaultPackedMenuSize(1, 1));
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => GateRouting.DefaultPackedMenuSize(4, 5)).ParamName);
    }

    private static int[] ColumnCounts(BitMatrix candidates) =>
        Enumerable.Range(0, candidates.Columns).Select(c => Enumerable.Range(0, candidates.Rows).Count(r => candidates[r, c])).ToArray();

    /// <summary>A row's columns best first: score descending (±0 equal), ties to the lower column, by a stable sort.</summary>
    private static IEnumerable<int> Ranked(float[] scores, int offset, int columns) =>
        Enumerable.Range(0, columns).OrderByDescending(c => scores[offset + c]).ThenBy(c => c);

    private static (BitMatrix S, BitMatrix T) ReferencePack(float[] scores, int experts, int m, int a)
    {
        int tokens = scores.Length / experts;
        var s = new bool[tokens, experts];
        var t = new bool[experts, tokens];
        for (int i = 0; i < tokens; i++)
        {
            int[] ranked = Ranked(scores, i * experts, experts).ToArray();
            foreach (int e in ranked.Take(m))
            {
                s[i, e] = true;
            }

            foreach (int e in ranked.Take(a))
            {
                t[e, i] = true;
            }
        }

        return (BitMatrix.FromDense(s), BitMatrix.FromDense(t));
    }

    /// <summary>Few distinct values (ties), ±0 among them, or spread values.</summary>
    private static float[] Scores(Random rng, int tokens, int experts)
    {
        bool ties = rng.Next(2) == 0;
        return Enumerable.Range(0, tokens * experts)
            .Select(_ => ties ? (rng.Next(5) == 0 ? -0f : rng.Next(4) / 2f) : (float)(rng.NextDouble() * 4 - 2)).ToArray();
    }
}
