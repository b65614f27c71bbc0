using PhaseRouter.Engine;

namespace PhaseRouter.Gating;

/// <content>Expert choice: the experts choose their tokens.</content>
public static partial class GateRouting
{
    /// <summary>
    /// Expert choice (Zhou et al. 2022): each expert takes the <paramref name="capacity"/> tokens with the highest score
    /// in its column (ties to the lower token index), so every expert is filled exactly to capacity (or takes every
    /// token when there are fewer) and a token gets between 0 and E experts. The result is E slots wide: the
    /// workspace's <see cref="GateWorkspace.K"/> is E, each token's experts come first in ascending expert order, then
    /// -1; <see cref="GateWorkspace.TokensWithoutExpert"/> counts the tokens no expert chose (their whole row is -1), and
    /// <see cref="GateWorkspace.DroppedSlots"/> counts empty slots of the E-wide rows, which here is not a loss. The
    /// choices (and demand) are each token's top-<paramref name="k"/> experts by score, in the first k slots of each
    /// E-wide row. The scores are compared across tokens, so pass normalised ones (softmax probabilities), as the
    /// policy prescribes; raw logits would favour tokens with large logits.
    /// </summary>
    /// <param name="scores">Row-major <c>[tokens, E]</c> scores, finite (softmax probabilities).</param>
    /// <param name="experts">E, at least 1.</param>
    /// <param name="k">The k of the demand (and of the capacity the caller computed), in <c>[1, E]</c>.</param>
    /// <param name="capacity">Tokens per expert, at least 0 (see <see cref="ExpertCapacity.Of"/>).</param>
    /// <param name="workspace">Receives the result.</param>
    /// <exception cref="ArgumentException">A size is out of range or a score is not finite.</exception>
    public static void ExpertChoice(ReadOnlySpan<float> scores, int experts, int k, int capacity, GateWorkspace workspace)
    {
        int tokens = CheckScores(scores, experts, k, workspace);
        CheckCapacity(capacity);
        workspace.Begin(tokens, experts, experts, capacity);
        Span<int> routes = workspace.RouteBuffer;
        Span<int> filled = GateWorkspace.Ensure(ref workspace.Need, tokens).AsSpan(0, tokens);
        filled.Clear();
        int take = Math.Min(capacity, tokens);
        Span<ulong> keys = GateWorkspace.Ensure(ref workspace.ColumnKeys, tokens).AsSpan(0, tokens);
        for (int e = 0; e < experts && take > 0; e++)
        {
            // Ascending key = descending score, then ascending token: the keys are distinct, so the C smallest are one set.
            for (int t = 0; t < tokens; t++)
            {
                keys[t] = ((ulong)PriorityOrder.Key(scores[t * experts + e]) << 32) | (uint)t;
            }

            SelectSmallest(keys, take);
            foreach (ulong key in keys[..take])
            {
                int t = (int)(uint)key;
                routes[t * experts + filled[t]++] = e;
            }
        }

        // Experts were visited in ascending order, so each row is already ascending. The choices: top-k in each row's first k slots.
        Span<int> choices = workspace.ChoiceBuffer;
        choices.Fill(-1);
        Span<int> top = GateWorkspace.Ensure(ref workspace.OperatorRoutes, tokens * k).AsSpan(0, tokens * k);
        TopKRows(scores, tokens, experts, k, top, workspace);
        for (int t = 0; t < tokens; t++)
        {
            top.Slice(t * k, k).CopyTo(choices.Slice(t * experts, k));
        }

        workspace.Finish(hasChoices: true);
    }

    /// <summary>Moves the <paramref name="count"/> smallest keys to the front (in no particular order): Hoare quickselect, median-of-three pivots.</summary>
    internal static void SelectSmallest(Span<ulong> keys, int count)
    {
        if (count >= keys.Length)
        {
            return;
        }

        int lo = 0;
        int hi = keys.Length - 1;
        int nth = count - 1;
        while (hi > lo)
        {
            int mid = lo + ((hi - lo) >> 1);
            ulong a = keys[lo];
            ulong b = keys[mid];
            ulong c = keys[hi];
            ulong pivot = a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot)
                {
                    i++;
                }

                while (keys[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }

            if (nth <= j)
            {
                hi = j;
            }
            else if (nth >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }
}
