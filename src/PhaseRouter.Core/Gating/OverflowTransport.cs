using PhaseRouter.Engine;
using PhaseRouter.Kernels;

namespace PhaseRouter.Gating;

/// <summary>
/// Spill's phase 2 (see <see cref="GateRouting.Spill"/>): the overflow slots through the Phase Router operator with
/// S = overflow tokens × experts (full rows), T = experts × overflow tokens with row degree
/// <c>min(residual_e, R')</c>, per-expert capacity = the residual, per-token limit = the slots still needed, and the
/// token's scores with its held experts excluded; seeded by the batch seed. The routes are exactly those of
/// <see cref="Router.RouteDegrees(ReadOnlySpan{int}, ReadOnlySpan{int}, int, Memory{int}, RouterOptions?)"/> with those
/// inputs (SPEC §1 steps 1–8 with score ranking and capacities; a test compares the two on many batches), computed
/// without building them, which is what made this phase cost more than the rest of the gate:
/// <list type="bullet">
/// <item>A full source row passes the source-side test of the closed form for every expert, so token r's candidates
/// are the experts whose arcs of the unrolled R'-line hold the points <c>πT[r], πT[r] + R', …</c> below Σt. One
/// table of the line's owners (Σt entries) turns each candidate into one load; no arc scan, no πS.</item>
/// <item>The scores are read in place from the token's row; a held expert is skipped where the operator saw −∞.</item>
/// <item>No validation (the gate's inputs are valid by construction), no result object, no per-call arrays: the
/// buffers live in the <see cref="GateWorkspace"/> and the routes are appended straight after the kept slots.</item>
/// </list>
/// The serving order is the operator's: each token's uncapped top list (by score, ties to the lower expert) is its
/// preference and its best score its key, tokens served by <see cref="PriorityOrder"/>; a token whose preferred
/// experts all have room takes them, otherwise its best candidates that still have room.
/// </summary>
internal static class OverflowTransport
{
    /// <summary>Appends the operator's routes of every token with <c>need[t] &gt; 0</c> after its kept slots, counts the loads, and updates <c>need</c>.</summary>
    /// <param name="scores">Row-major <c>[tokens, E]</c> finite scores.</param>
    /// <param name="experts">E.</param>
    /// <param name="k">Slots per token.</param>
    /// <param name="capacity">Per-expert capacity.</param>
    /// <param name="seed">The batch seed of the operator pass.</param>
    /// <param name="overflowTokens">R', the number of tokens with <c>need[t] &gt; 0</c> (at least 1).</param>
    /// <param name="workspace">The batch: routes (kept slots first), loads and need after the first phase.</param>
    public static void Run(ReadOnlySpan<float> scores, int experts, int k, int capacity, ulong seed, int overflowTokens,
        GateWorkspace workspace)
    {
        int tokens = workspace.Tokens;
        int rows = overflowTokens;
        Span<int> routes = workspace.RouteBuffer;
        Span<int> loads = workspace.LoadBuffer;
        Span<int> need = workspace.Need.AsSpan(0, tokens);

        // Rows of the operator: the overflow tokens in token order.
        Span<int> overflow = GateWorkspace.Ensure(ref workspace.OverflowTokens, rows).AsSpan(0, rows);
        for (int t = 0, r = 0; r < rows; t++)
        {
            if (need[t] > 0)
            {
                overflow[r++] = t;
            }
        }

        // Steps 2–4 for T: expert e's arc is [line, line + t_e) of the unrolled R'-line (experts dealt in index
        // order), with t_e = min(residual, R'); token r sits at πT[r] on the R'-ring.
        long totalDegree = 0;
        for (int e = 0; e < experts; e++)
        {
            totalDegree += Math.Min(capacity - loads[e], rows);
        }

        int lineLength = (int)totalDegree; // at most E · R' ≤ tokens · E, which the gate checked fits an array
        Span<int> owner = GateWorkspace.Ensure(ref workspace.LineOwners, Math.Max(1, lineLength)).AsSpan(0, lineLength);
        for (int e = 0, line = 0; e < experts; e++)
        {
            int degree = Math.Min(capacity - loads[e], rows);
            owner.Slice(line, degree).Fill(e);
            line += degree;
        }

        Span<int> position = GateWorkspace.Ensure(ref workspace.OverflowPositions, rows).AsSpan(0, rows);
        PhaseRandom.FillPermutation(seed, PhaseRandom.TargetColumnsDomain, position);

        // Phase A: each row's uncapped top list among its candidates, and its key (best score, −∞ for none).
        Span<int> preferred = GateWorkspace.Ensure(ref workspace.OverflowPreferred, rows * k).AsSpan(0, rows * k);
        Span<uint> keys = GateWorkspace.Ensure(ref workspace.OverflowKeys, rows).AsSpan(0, rows);
        for (int r = 0; r < rows; r++)
        {
            int t = overflow[r];
            int limit = need[t];
            ReadOnlySpan<int> held = routes.Slice(t * k, k - limit);
            ReadOnlySpan<float> row = scores.Slice(t * experts, experts);
            Span<int> top = preferred.Slice(r * k, limit);
            int taken = SelectTop(owner, position[r], rows, held, row, loads, int.MaxValue, top);
            if (taken < limit)
            {
                top[taken] = -1;
            }

            keys[r] = PriorityOrder.Key(taken == 0 ? float.NegativeInfinity : row[top[0]]);
        }

        Span<int> order = GateWorkspace.Ensure(ref workspace.OverflowOrder, rows).AsSpan(0, rows);
        PriorityOrder.Sort(keys, order, GateWorkspace.Ensure(ref workspace.OverflowScratch, rows).AsSpan(0, rows));

        // Phase B, in serving order: the top list when every expert on it has room, else the best candidates with room.
        foreach (int r in order)
        {
            int t = overflow[r];
            int limit = need[t];
            int kept = k - limit;
            Span<int> top = preferred.Slice(r * k, limit);
            int count = top.IndexOf(-1);
            count = count < 0 ? limit : count;
            bool allOpen = true;
            foreach (int e in top[..count])
            {
                allOpen &= loads[e] < capacity;
            }

            Span<int> slots = routes.Slice(t * k + kept, limit);
            if (allOpen)
            {
                top[..count].CopyTo(slots);
            }
            else
            {
                count = SelectTop(owner, position[r], rows, routes.Slice(t * k, kept), scores.Slice(t * experts, experts), loads,
                    capacity, slots);
            }

            foreach (int e in slots[..count])
            {
                loads[e]++;
            }

            need[t] = limit - count;
        }
    }

    /// <summary>
    /// The best <c>destination.Length</c> candidates of the token at <paramref name="position"/> by score (ties to the
    /// lower expert), best first, among those it does not hold and whose load is below <paramref name="capacity"/>.
    /// </summary>
    private static int SelectTop(ReadOnlySpan<int> owner, int position, int ring, ReadOnlySpan<int> held, ReadOnlySpan<float> row,
        ReadOnlySpan<int> loads, int capacity, Span<int> destination)
    {
        int limit = destination.Length;
        int count = 0;
        for (int x = position; x < owner.Length; x += ring)
        {
            int e = owner[x];
            if (loads[e] >= capacity || held.Contains(e))
            {
                continue;
            }

            float score = row[e];
            if (count == limit && !RowSelector.Better(score, e, row[destination[count - 1]], destination[count - 1]))
            {
                continue;
            }

            int at = count == limit ? count - 1 : count++;
            while (at > 0 && RowSelector.Better(score, e, row[destination[at - 1]], destination[at - 1]))
            {
                destination[at] = destination[at - 1];
                at--;
            }

            destination[at] = e;
        }

        return count;
    }
}
