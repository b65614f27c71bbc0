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
