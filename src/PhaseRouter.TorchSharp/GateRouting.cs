using PhaseRouter.Kernels;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// The managed routing algorithms of the gates, on row-major <c>[tokens, E]</c> logits copied out of the tensor once.
/// Routes are <c>tokens · k</c> expert indices, token after token, filled slots first, -1 padded.
/// </summary>
internal static class GateRouting
{
    /// <summary>
    /// Each row's k largest scores' columns, best first, ties to the lower column, −∞ never chosen (-1 instead): the
    /// router's score-ranked selection when every expert is a candidate of every token. For k ≤ 16 each row goes
    /// straight to Core's vectorised row kernel (no permutations or layout are needed when every pair is a
    /// candidate); larger k goes through <see cref="Router.RouteDegrees(ReadOnlySpan{int}, ReadOnlySpan{int}, int, Memory{int}, RouterOptions?)"/>.
    /// </summary>
    public static int[] TopK(float[] scores, int rows, int columns, int k, int maxDegreeOfParallelism = -1)
    {
        if (rows == 0)
        {
            return [];
        }

        var top = new int[rows * k];
        if (k <= 16)
        {
            for (int i = 0; i < rows; i++)
            {
                Span<int> slots = top.AsSpan(i * k, k);
                int taken = FloatScan.TopScores(scores.AsSpan(i * columns, columns), k, slots, out _);
                slots[taken..].Fill(-1);
            }

            return top;
        }

        var sourceDegrees = new int[rows];
        Array.Fill(sourceDegrees, columns);
        var targetDegrees = new int[columns];
        Array.Fill(targetDegrees, rows);
        Router.RouteDegrees(sourceDegrees, targetDegrees, k, top,
            new RouterOptions { Scores = scores, MaxDegreeOfParallelism = maxDegreeOfParallelism });
        return top;
    }

    /// <summary>
    /// How many times each expert appears in <paramref name="choices"/> (-1 entries are skipped): the uncapped demand
    /// when the choices are the tokens' top-k before capacity.
    /// </summary>
    /// <exception cref="ArgumentException">A choice is not -1 and not in <c>[0, experts)</c>.</exception>
    public static int[] CountChoices(int[] choices, int experts)
    {
        var counts = new int[experts];
        foreach (int e in choices)
        {
            if ((uint)e < (uint)experts)
            {
                counts[e]++;
            }
            else if (e != -1)
            {
                throw new ArgumentException($"Expert index {e} is outside [0, {experts}).", nameof(choices));
            }
        }

        return counts;
    }

    /// <summary>
    /// Serves each slot rank in turn (all first choices in token order, then all second choices, …, as GShard does):
    /// a choice is kept while its expert has room, otherwise dropped.
    /// </summary>
    public static int[] GreedySlotMajor(int[] choices, int tokens, int experts, int k, int capacity)
    {
        var routes = new int[tokens * k];
        Array.Fill(routes, -1);
        var filled = new int[tokens];
        var loads = new int[experts];
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

    /// <summary>
    /// Spill (SPEC §3). Phase 1: tokens, highest top logit first (ties to the lower index), keep those of their top-k
    /// experts that still have room. Phase 2: the overflow slots go through the operator with S = overflow tokens ×
    /// experts (full rows), T = experts × overflow tokens with row degree = residual capacity, scores = logits with the
    /// experts a token already holds masked out, capacities = residual, per-token limit = slots still needed.
    /// <paramref name="choices"/> receives phase 1's uncapped choices, each token's top-k by logit (<see cref="TopK"/>).
    /// </summary>
    public static int[] Spill(float[] logits, int tokens, int experts, int k, int capacity, ulong seed, int maxDegreeOfParallelism,
        out int[] choices, float[]? scratch = null)
    {
        var routes = new int[tokens * k];
        Array.Fill(routes, -1);
        int[] top = TopK(logits, tokens, experts, k, maxDegreeOfParallelism);
        choices = top;
        if (tokens == 0)
        {
            return routes;
        }

        var keys = new uint[tokens];
        for (int t = 0; t < tokens; t++)
        {
            int best = top[t * k];
            keys[t] = PriorityOrder.Key(best < 0 ? float.NegativeInfinity : logits[t * experts + best]);
        }

        var loads = new int[experts];
        var need = new int[tokens];
        int overflowTokens = 0;
        foreach (int t in PriorityOrder.Sort(keys))
        {
            int n = 0;
            for (int j = 0; j < k; j++)
            {
                int e = top[t * k + j];
                if (e >= 0 && loads[e] < capacity)
                {
                    loads[e]++;
                    routes[t * k + n++] = e;
                }
            }

            need[t] = k - n;
            if (n < k)
            {
                overflowTokens++;
            }
        }

        if (overflowTokens == 0)
        {
            return routes;
        }

        var overflow = new int[overflowTokens];
        for (int t = 0, r = 0; t < tokens; t++)
        {
            if (need[t] > 0)
            {
                overflow[r++] = t;
            }
        }

        var residual = new int[experts];
        var targetDegrees = new int[experts];
        for (int e = 0; e < experts; e++)
        {
            residual[e] = Math.Max(0, capacity - loads[e]);
            targetDegrees[e] = Math.Min(residual[e], overflowTokens);
        }

        var sourceDegrees = new int[overflowTokens];
        Array.Fill(sourceDegrees, experts);
        // The overflow's scores: a slice of the caller's scratch when it is large enough (the gate keeps one across
        // batches, since a fresh megabyte per batch costs page faults and full collections), else a new array.
        int scoreCount = overflowTokens * experts;
        float[] scores = scratch is not null && scratch.Length >= scoreCount ? scratch : new float[scoreCount];
        var limits = new int[overflowTokens];
        for (int r = 0; r < overflowTokens; r++)
        {
            int t = overflow[r];
            logits.AsSpan(t * experts, experts).CopyTo(scores.AsSpan(r * experts, experts));
            for (int j = 0; j < k - need[t]; j++)
            {
                scores[r * experts + routes[t * k + j]] = float.NegativeInfinity;
            }

            limits[r] = need[t];
        }

        var result = Router.RouteDegrees(sourceDegrees, targetDegrees, k, new RouterOptions
        {
            Seed = seed,
            Scores = scores.AsMemory(0, scoreCount),
            TargetCapacities = residual,
            SourceLimits = limits,
            MaxDegreeOfParallelism = maxDegreeOfParallelism,
        });
        for (int r = 0; r < overflowTokens; r++)
        {
            int t = overflow[r];
            int n = k - need[t];
            foreach (int e in result.RoutesOf(r))
            {
                if (e >= 0)
                {
                    routes[t * k + n++] = e;
                }
            }
        }

        return routes;
    }

    /// <summary>
    /// Menu and Oblivious (SPEC §3): S = tokens × experts with row degree m, T = experts × tokens with row degree
    /// <c>min(t_e, tokens)</c>, capacities C_e; with logits each token takes its top-k menu experts by logit, without
    /// (Oblivious) a seed-random k-subset of its menu.
    /// </summary>
    public static int[] Menu(float[]? logits, int tokens, int experts, int k, int menuSize, IReadOnlyList<int>? acceptance,
        int capacity, ulong seed, int maxDegreeOfParallelism)
    {
        if (tokens == 0)
        {
            return [];
        }

        var sourceDegrees = new int[tokens];
        Array.Fill(sourceDegrees, menuSize);
        var targetDegrees = new int[experts];
        var capacities = new int[experts];
        for (int e = 0; e < experts; e++)
        {
            targetDegrees[e] = acceptance is null ? tokens : Math.Min(acceptance[e], tokens);
            capacities[e] = capacity;
        }

        var result = Router.RouteDegrees(sourceDegrees, targetDegrees, k, new RouterOptions
        {
            Seed = seed,
            Scores = logits,
            TargetCapacities = capacities,
            MaxDegreeOfParallelism = maxDegreeOfParallelism,
        });
        return result.ToArray();
    }

    /// <summary>
    /// The hash gate's choices: token t's k distinct experts are drawn from a SplitMix64 stream keyed by
    /// <c>(seed, t)</c>, with rejection of repeats.
    /// </summary>
    public static int[] HashChoices(int tokens, int experts, int k, ulong seed)
    {
        var choices = new int[tokens * k];
        for (int t = 0; t < tokens; t++)
        {
            var stream = new SplitMix64(SplitMix64.Mix(seed ^ SplitMix64.Mix((ulong)t + 0x6A09E667F3BCC909UL)));
            var dest = choices.AsSpan(t * k, k);
            for (int j = 0; j < k; j++)
            {
                int e;
                do
                {
                    e = (int)stream.NextBounded((uint)experts);
                }
                while (dest[..j].Contains(e));

                dest[j] = e;
            }
        }

        return choices;
    }
}
