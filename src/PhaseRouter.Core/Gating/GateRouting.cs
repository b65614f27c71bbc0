using System.Globalization;
using PhaseRouter.Engine;
using PhaseRouter.Kernels;

namespace PhaseRouter.Gating;

/// <summary>
/// The mixture-of-experts gate policies (SPEC §3) over row-major <c>[tokens, E]</c> scores (gate logits), without
/// any tensor library. Each call routes one batch into a <see cref="GateWorkspace"/>, whose
/// <see cref="GateWorkspace.Routes"/>, <see cref="GateWorkspace.Loads"/>, <see cref="GateWorkspace.Demand"/>,
/// <see cref="GateWorkspace.DroppedSlots"/> and grouped dispatch then describe it. Scores must be finite: the one
/// check of a call rejects NaN and ±∞ with an <see cref="ArgumentException"/> naming the token and the expert.
/// Every policy is deterministic: the same scores, sizes and seed give the same routes on any machine and thread count.
/// </summary>
public static partial class GateRouting
{
    /// <summary>
    /// Each token's top-k experts by score, best first, ties to the lower expert, with no capacity: routes equal the
    /// choices and loads equal the demand.
    /// </summary>
    /// <param name="scores">Row-major <c>[tokens, E]</c> scores, finite; its length sets the token count.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="workspace">Receives the result.</param>
    /// <exception cref="ArgumentException">A size is out of range or a score is not finite.</exception>
    public static void TopK(ReadOnlySpan<float> scores, int experts, int k, GateWorkspace workspace)
    {
        int tokens = CheckScores(scores, experts, k, workspace);
        workspace.Begin(tokens, experts, k, int.MaxValue);
        TopKRows(scores, tokens, experts, k, workspace.ChoiceBuffer, workspace);
        workspace.ChoiceBuffer.CopyTo(workspace.RouteBuffer);
        workspace.Finish(hasChoices: true);
    }

    /// <summary>
    /// The GShard/Switch baseline: each token's top-k experts by score (as <see cref="TopK"/>), then capacity by
    /// slot rank: all first choices in token order, then all second choices, …; a choice whose expert is full is dropped.
    /// </summary>
    /// <param name="scores">Row-major <c>[tokens, E]</c> scores, finite.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="capacity">Per-expert capacity, at least 0 (see <see cref="ExpertCapacity.Of"/>).</param>
    /// <param name="workspace">Receives the result.</param>
    /// <exception cref="ArgumentException">A size is out of range or a score is not finite.</exception>
    public static void SlotMajorDrop(ReadOnlySpan<float> scores, int experts, int k, int capacity, GateWorkspace workspace)
    {
        int tokens = CheckScores(scores, experts, k, workspace);
        CheckCapacity(capacity);
        workspace.Begin(tokens, experts, k, capacity);
        TopKRows(scores, tokens, experts, k, workspace.ChoiceBuffer, workspace);
        DropBySlotRank(workspace);
        workspace.Finish(hasChoices: true);
    }

    /// <summary>
    /// The hash baseline (hash layers, keyed by position): token t's k distinct experts come from a SplitMix64 stream
    /// keyed by <c>(seed, t)</c> with rejection of repeats; capacity is enforced by slot rank as in
    /// <see cref="SlotMajorDrop"/>. The choices are the hash choices.
    /// </summary>
    /// <param name="tokens">Tokens in the batch, at least 0.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="capacity">Per-expert capacity, at least 0.</param>
    /// <param name="seed">The hash seed.</param>
    /// <param name="workspace">Receives the result.</param>
    /// <exception cref="ArgumentException">A size is out of range.</exception>
    public static void Hash(int tokens, int experts, int k, int capacity, ulong seed, GateWorkspace workspace)
    {
        CheckSizes(tokens, experts, k, workspace);
        CheckCapacity(capacity);
        workspace.Begin(tokens, experts, k, capacity);
        Span<int> choices = workspace.ChoiceBuffer;
        for (int t = 0; t < tokens; t++)
        {
            var stream = new SplitMix64(SplitMix64.Mix(seed ^ SplitMix64.Mix((ulong)t + 0x6A09E667F3BCC909UL)));
            Span<int> dest = choices.Slice(t * k, k);
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

        DropBySlotRank(workspace);
        workspace.Finish(hasChoices: true);
    }

    /// <summary>
    /// Spill (SPEC §3), the default policy. Phase 1: tokens in priority order (highest top score first, ties to the
    /// lower token) keep those of their top-k experts that still have room. Phase 2: the overflow slots go through
    /// the Phase Router operator (S = overflow tokens × experts, T = experts × overflow tokens with row degree = the
    /// residual capacity, the held experts masked out, per-token limit = slots still needed, seeded by
    /// <paramref name="seed"/>). Completion: a token still short of k then takes, in priority order, its
    /// best-scoring experts that have room and that it does not hold; when every expert with room is one it already
    /// holds, it takes its best full expert f from the lowest-priority token u that holds f but not an expert g with
    /// room, and u moves to g. A slot is dropped only when no expert has room left, so spill drops nothing whenever
    /// <c>E · capacity ≥ tokens · k</c>. The choices are the tokens' top-k by score.
    /// </summary>
    /// <param name="scores">Row-major <c>[tokens, E]</c> scores, finite.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="capacity">Per-expert capacity, at least 0.</param>
    /// <param name="seed">The batch seed of the operator pass.</param>
    /// <param name="workspace">Receives the result.</param>
    /// <exception cref="ArgumentException">A size is out of range or a score is not finite.</exception>
    public static void Spill(ReadOnlySpan<float> scores, int experts, int k, int capacity, ulong seed, GateWorkspace workspace)
    {
        int tokens = CheckScores(scores, experts, k, workspace);
        CheckCapacity(capacity);
        workspace.Begin(tokens, experts, k, capacity);
        Span<int> choices = workspace.ChoiceBuffer;
        Span<float> best = GateWorkspace.Ensure(ref workspace.BestScores, tokens).AsSpan(0, tokens);
        TopKRows(scores, tokens, experts, k, choices, workspace, best);
        if (tokens == 0)
        {
            workspace.Finish(hasChoices: true);
            return;
        }

        Span<uint> keys = GateWorkspace.Ensure(ref workspace.Keys, tokens).AsSpan(0, tokens);
        for (int t = 0; t < tokens; t++)
        {
            keys[t] = PriorityOrder.Key(best[t]);
        }

        Span<int> order = GateWorkspace.Ensure(ref workspace.Order, tokens).AsSpan(0, tokens);
        PriorityOrder.Sort(keys, order, GateWorkspace.Ensure(ref workspace.OrderScratch, tokens));

        Span<int> routes = workspace.RouteBuffer;
        Span<int> loads = workspace.LoadBuffer;
        Span<int> need = GateWorkspace.Ensure(ref workspace.Need, tokens).AsSpan(0, tokens);
        int overflowTokens = 0;
        foreach (int t in order)
        {
            int n = 0;
            for (int j = 0; j < k; j++)
            {
                int e = choices[t * k + j];
                if (loads[e] < capacity)
                {
                    loads[e]++;
                    routes[t * k + n++] = e;
                }
            }

            need[t] = k - n;
            overflowTokens += n < k ? 1 : 0;
        }

        if (overflowTokens > 0)
        {
            OverflowTransport.Run(scores, experts, k, capacity, seed, overflowTokens, workspace);
            Complete(scores, experts, k, capacity, workspace);
        }

        workspace.Finish(hasChoices: true);
    }

    /// <summary>
    /// Menu (SPEC §3): S = tokens × experts with row degree m, T = experts × tokens with row degree
    /// <c>min(t_e, tokens)</c>; each token takes its top-k menu experts by score under capacity (tokens served
    /// highest best score first). Expert load is at most <c>⌈tokens · m / E⌉</c> whatever the scores. The choices are
    /// the tokens' top-k by score over all experts.
    /// </summary>
    /// <param name="scores">Row-major <c>[tokens, E]</c> scores, finite.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="menuSize">m, in <c>[k, E]</c>.</param>
    /// <param name="acceptanceDegrees">Per-expert acceptance <c>t_e ≥ 0</c> (length E), or empty to accept every token.</param>
    /// <param name="capacity">Per-expert capacity, at least 0.</param>
    /// <param name="seed">The batch seed.</param>
    /// <param name="workspace">Receives the result.</param>
    /// <exception cref="ArgumentException">A size is out of range or a score is not finite.</exception>
    public static void Menu(ReadOnlySpan<float> scores, int experts, int k, int menuSize, ReadOnlySpan<int> acceptanceDegrees, int capacity,
        ulong seed, GateWorkspace workspace)
    {
        int tokens = CheckScores(scores, experts, k, workspace);
        CheckMenu(experts, k, menuSize, acceptanceDegrees, capacity);
        workspace.Begin(tokens, experts, k, capacity);
        // The operator takes its scores as memory; the workspace keeps a copy.
        float[] copy = GateWorkspace.Ensure(ref workspace.Scores, scores.Length);
        scores.CopyTo(copy);
        RouteMenus(tokens, experts, k, menuSize, acceptanceDegrees, capacity, seed, copy.AsMemory(0, scores.Length), workspace);
        TopKRows(scores, tokens, experts, k, workspace.ChoiceBuffer, workspace);
        workspace.Finish(hasChoices: true);
    }

    /// <summary>
    /// Oblivious (SPEC §3, the original behaviour): the menus of <see cref="Menu"/>, and k experts drawn at random
    /// among them under capacity (tokens served in a seed-random order); the scores play no part in routing. When
    /// <paramref name="demandScores"/> are given, the choices (and demand) are the tokens' top-k by them; otherwise
    /// there are no choices and the demand equals the loads.
    /// </summary>
    /// <param name="tokens">Tokens in the batch, at least 0.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">Slots per token, in <c>[1, E]</c>.</param>
    /// <param name="menuSize">m, in <c>[k, E]</c>.</param>
    /// <param name="acceptanceDegrees">Per-expert acceptance <c>t_e ≥ 0</c> (length E), or empty to accept every token.</param>
    /// <param name="capacity">Per-expert capacity, at least 0.</param>
    /// <param name="seed">The batch seed.</param>
    /// <param name="workspace">Receives the result.</param>
    /// <param name="demandScores">Optional row-major <c>[tokens, E]</c> finite scores for the demand only; empty for none.</param>
    /// <exception cref="ArgumentException">A size is out of range or a score is not finite.</exception>
    public static void Oblivious(int tokens, int experts, int k, int menuSize, ReadOnlySpan<int> acceptanceDegrees, int capacity, ulong seed,
        GateWorkspace workspace, ReadOnlySpan<float> demandScores = default)
    {
        CheckSizes(tokens, experts, k, workspace);
        if (!demandScores.IsEmpty && CheckScores(demandScores, experts, k, workspace, nameof(demandScores)) != tokens)
        {
            throw new ArgumentException(
                $"demandScores must hold tokens · E = {(long)tokens * experts} scores; got {demandScores.Length}.", nameof(demandScores));
        }

        CheckMenu(experts, k, menuSize, acceptanceDegrees, capacity);
        workspace.Begin(tokens, experts, k, capacity);
        RouteMenus(tokens, experts, k, menuSize, acceptanceDegrees, capacity, seed, null, workspace);
        bool hasChoices = !demandScores.IsEmpty || tokens == 0;
        if (!demandScores.IsEmpty)
        {
            TopKRows(demandScores, tokens, experts, k, workspace.ChoiceBuffer, workspace);
        }

        workspace.Finish(hasChoices);
    }

    private static void RouteMenus(int tokens, int experts, int k, int menuSize, ReadOnlySpan<int> acceptanceDegrees, int capacity,
        ulong seed, ReadOnlyMemory<float>? scores, GateWorkspace workspace)
    {
        if (tokens == 0)
        {
            return;
        }

        Span<int> sourceDegrees = GateWorkspace.Ensure(ref workspace.Degrees, tokens).AsSpan(0, tokens);
        sourceDegrees.Fill(menuSize);
        Span<int> targetDegrees = experts <= 1024 ? stackalloc int[experts] : new int[experts];
        var capacities = new int[experts];
        for (int e = 0; e < experts; e++)
        {
            targetDegrees[e] = acceptanceDegrees.IsEmpty ? tokens : Math.Min(acceptanceDegrees[e], tokens);
            capacities[e] = capacity;
        }

        // Router.RouteDegrees without its validation: the degrees, capacities and parallelism are valid by construction
        // and the scores were checked finite by the caller (the router would scan them for NaN a second time).
        RouteEngine.Run(sourceDegrees, targetDegrees, k, new RouterOptions
        {
            Seed = seed,
            Scores = scores,
            TargetCapacities = capacities,
            MaxDegreeOfParallelism = workspace.MaxDegreeOfParallelism,
        }, System.Diagnostics.Stopwatch.GetTimestamp(), workspace.RouteArray.AsMemory(0, tokens * k));
    }

    /// <summary>Spill's completion: fills what the operator left empty (see <see cref="Spill"/>), in priority order.</summary>
    private static void Complete(ReadOnlySpan<float> scores, int experts, int k, int capacity, GateWorkspace workspace)
    {
        int tokens = workspace.Tokens;
        Span<int> routes = workspace.RouteBuffer;
        Span<int> loads = workspace.LoadBuffer;
        Span<int> need = workspace.Need.AsSpan(0, tokens);
        ReadOnlySpan<int> order = workspace.Order.AsSpan(0, tokens);
        foreach (int t in order)
        {
            while (need[t] > 0)
            {
                Span<int> held = routes.Slice(t * k, k - need[t]);
                ReadOnlySpan<float> row = scores.Slice(t * experts, experts);
                int open = -1;
                int best = -1;
                int withRoom = -1;
                for (int e = 0; e < experts; e++)
                {
                    bool holds = held.Contains(e);
                    bool room = loads[e] < capacity;
                    withRoom = room && withRoom < 0 ? e : withRoom;
                    if (!holds && room && (open < 0 || row[e] > row[open]))
                    {
                        open = e;
                    }

                    if (!holds && (best < 0 || row[e] > row[best]))
                    {
                        best = e;
                    }
                }

                if (open < 0)
                {
                    // Every expert with room is held by t (or none has room). Some token u holding t's best expert f
                    // lacks such an expert g, else g would hold more than capacity: u moves to g, t takes f.
                    if (withRoom < 0 || !Exchange(t, best, withRoom, k, routes, order))
                    {
                        break;
                    }

                    loads[withRoom]++;
                    open = best;
                }
                else
                {
                    loads[open]++;
                }

                routes[t * k + k - need[t]] = open;
                need[t]--;
            }
        }
    }

    /// <summary>Moves the lowest-priority token other than <paramref name="token"/> that holds <paramref name="from"/> but not <paramref name="to"/> from one to the other.</summary>
    private static bool Exchange(int token, int from, int to, int k, Span<int> routes, ReadOnlySpan<int> order)
    {
        for (int r = order.Length - 1; r >= 0; r--)
        {
            int u = order[r];
            if (u == token)
            {
                continue;
            }

            Span<int> slots = routes.Slice(u * k, k);
            int at = slots.IndexOf(from);
            if (at >= 0 && !slots.Contains(to))
            {
                slots[at] = to;
                return true;
            }
        }

        return false;
    }

    /// <summary>Capacity by slot rank over the workspace's choices: all first choices in token order, then all second, ….</summary>
    private static void DropBySlotRank(GateWorkspace workspace)
    {
        int tokens = workspace.Tokens;
        int k = workspace.K;
        int capacity = workspace.Capacity;
        Span<int> choices = workspace.ChoiceBuffer;
        Span<int> routes = workspace.RouteBuffer;
        Span<int> loads = workspace.LoadBuffer;
        Span<int> filled = GateWorkspace.Ensure(ref workspace.Need, tokens).AsSpan(0, tokens);
        filled.Clear();
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
    }

    /// <summary>
    /// Each row's top k columns by score, best first, ties to the lower column (scores are finite, so every slot is
    /// filled), and each row's best score into <paramref name="best"/> unless it is empty.
    /// </summary>
    private static void TopKRows(ReadOnlySpan<float> scores, int tokens, int experts, int k, Span<int> destination, GateWorkspace workspace,
        Span<float> best = default) =>
        FiniteRowTop.TopRows(scores, tokens, experts, k, destination,
            k > 16 ? GateWorkspace.Ensure(ref workspace.Candidates, experts).AsSpan(0, experts) : default, best);

    private static void CheckSizes(int tokens, int experts, int k, GateWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        if (k < 1 || k > experts)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, E = {experts}].");
        }

        if ((long)tokens * k > Array.MaxLength || (long)tokens * experts > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"tokens · k and tokens · E must fit an array (k = {k}, E = {experts}).");
        }
    }

    /// <summary>Checks the sizes and that every score is finite; returns the token count.</summary>
    private static int CheckScores(ReadOnlySpan<float> scores, int experts, int k, GateWorkspace workspace, string paramName = "scores")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        if (scores.Length % experts != 0)
        {
            throw new ArgumentException(
                $"The scores must be row-major [tokens, E = {experts}]; their length {scores.Length} is not a multiple of E.", paramName);
        }

        int tokens = scores.Length / experts;
        CheckSizes(tokens, experts, k, workspace);
        int bad = FiniteScan.IndexOfNonFinite(scores);
        if (bad >= 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The score of token {bad / experts}, expert {bad % experts} is {scores[bad]}; gate scores must be finite (NaN or ±∞ usually means the model has diverged)."),
                paramName);
        }

        return tokens;
    }

    private static void CheckCapacity(int capacity) => ArgumentOutOfRangeException.ThrowIfNegative(capacity);

    private static void CheckMenu(int experts, int k, int menuSize, ReadOnlySpan<int> acceptanceDegrees, int capacity)
    {
        if (menuSize < k || menuSize > experts)
        {
            throw new ArgumentOutOfRangeException(nameof(menuSize), menuSize, $"The menu size must be in [k = {k}, E = {experts}].");
        }

        if (!acceptanceDegrees.IsEmpty)
        {
            if (acceptanceDegrees.Length != experts)
            {
                throw new ArgumentException(
                    $"acceptanceDegrees has {acceptanceDegrees.Length} entries; it needs one per expert ({experts}) or none.", nameof(acceptanceDegrees));
            }

            for (int e = 0; e < experts; e++)
            {
                if (acceptanceDegrees[e] < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(acceptanceDegrees), acceptanceDegrees[e],
                        string.Create(CultureInfo.InvariantCulture, $"acceptanceDegrees[{e}] must be at least 0."));
                }
            }
        }

        CheckCapacity(capacity);
    }
}
