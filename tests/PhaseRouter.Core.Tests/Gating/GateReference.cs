namespace PhaseRouter.Core.Tests.Gating;

/// <summary>Straightforward reference implementations of the gate policies' parts, for the Core gating tests.</summary>
internal static class GateReference
{
    /// <summary>Each row's k best columns by score, best first, ties to the lower column, by a full sort.</summary>
    public static int[] TopK(float[] scores, int experts, int k)
    {
        int tokens = scores.Length / experts;
        var result = new int[tokens * k];
        for (int t = 0; t < tokens; t++)
        {
            int row = t;
            Enumerable.Range(0, experts).OrderByDescending(e => scores[row * experts + e]).ThenBy(e => e).Take(k).ToArray()
                .CopyTo(result, t * k);
        }

        return result;
    }

    /// <summary>GShard's capacity by slot rank over given choices.</summary>
    public static int[] SlotMajor(int[] choices, int tokens, int experts, int k, int capacity)
    {
        var routes = Enumerable.Repeat(-1, tokens * k).ToArray();
        var loads = new int[experts];
        var filled = new int[tokens];
        for (int j = 0; j < k; j++)
        {
            for (int t = 0; t < tokens; t++)
            {
                int e = choices[t * k + j];
                if (e >= 0 && loads[e] < capacity)
                {
                    loads[e]++;
                    routes[t * k + filled[t]++] = e;
                }
            }
        }

        return routes;
    }

    /// <summary>How often each expert appears (-1 skipped).</summary>
    public static int[] Count(IEnumerable<int> routes, int experts)
    {
        var counts = new int[experts];
        foreach (int e in routes)
        {
            if (e >= 0)
            {
                counts[e]++;
            }
        }

        return counts;
    }

    /// <summary>The serving order of spill's first phase: highest top score first, ties to the lower token.</summary>
    public static int[] PriorityOrder(float[] scores, int experts) =>
        Enumerable.Range(0, scores.Length / experts)
            .OrderByDescending(t => scores.AsSpan(t * experts, experts).ToArray().Max()).ThenBy(t => t).ToArray();

    /// <summary>Spill's first phase: tokens in priority order keep those of their top-k experts that have room.</summary>
    public static int[] SpillFirstPhase(float[] scores, int experts, int k, int capacity)
    {
        int tokens = scores.Length / experts;
        int[] top = TopK(scores, experts, k);
        var routes = Enumerable.Repeat(-1, tokens * k).ToArray();
        var loads = new int[experts];
        foreach (int t in PriorityOrder(scores, experts))
        {
            int n = 0;
            for (int j = 0; j < k; j++)
            {
                int e = top[t * k + j];
                if (loads[e] < capacity)
                {
                    loads[e]++;
                    routes[t * k + n++] = e;
                }
            }
        }

        return routes;
    }

    /// <summary>
    /// Spill's operator pass as SPEC §3 states it, through the public <see cref="Router"/>: S = the overflow tokens
    /// (need &gt; 0, in token order) × experts with full rows, T = experts × overflow tokens with row degree
    /// <c>min(residual, R')</c>, capacities = the residuals, limits = the needs, the held experts' scores −∞. Appends each
    /// token's operator routes after its kept slots and updates <paramref name="loads"/> and <paramref name="need"/>.
    /// </summary>
    public static void SpillTransportViaRouter(float[] scores, int experts, int k, int capacity, ulong seed, int[] routes, int[] loads,
        int[] need)
    {
        int[] overflow = Enumerable.Range(0, need.Length).Where(t => need[t] > 0).ToArray();
        if (overflow.Length == 0)
        {
            return;
        }

        int[] residual = loads.Select(l => capacity - l).ToArray();
        int[] targetDegrees = residual.Select(r => Math.Min(r, overflow.Length)).ToArray();
        var rowScores = new float[overflow.Length * experts];
        for (int r = 0; r < overflow.Length; r++)
        {
            int t = overflow[r];
            Array.Copy(scores, t * experts, rowScores, r * experts, experts);
            for (int j = 0; j < k - need[t]; j++)
            {
                rowScores[r * experts + routes[t * k + j]] = float.NegativeInfinity;
            }
        }

        RoutingResult result = Router.RouteDegrees(Enumerable.Repeat(experts, overflow.Length).ToArray(), targetDegrees, k, new RouterOptions
        {
            Seed = seed,
            Scores = rowScores,
            TargetCapacities = residual,
            SourceLimits = overflow.Select(t => need[t]).ToArray(),
        });
        for (int r = 0; r < overflow.Length; r++)
        {
            int t = overflow[r];
            foreach (int e in result.RouteTargets[result.RouteOffsets[r]..result.RouteOffsets[r + 1]])
            {
                routes[t * k + k - need[t]--] = e;
                loads[e]++;
            }
        }
    }

    public static float[] RandomScores(Random rng, int tokens, int experts, bool adversarial)
    {
        var scores = new float[tokens * experts];
        for (int i = 0; i < scores.Length; i++)
        {
            int e = i % experts;
            scores[i] = adversarial
                // Every token prefers the same experts in the same order (few distinct values: ties too).
                ? (experts - e) + rng.Next(2) * 0.5f * (e % 2)
                : (float)(rng.NextDouble() * 4 - 2);
        }

        return scores;
    }
}
