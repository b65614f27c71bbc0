using PhaseRouter.Engine;

namespace PhaseRouter.Gating;

/// <content>Expert choice: the experts choose their tokens.</content>
public static partial class GateRouting
{
    /// <summary>Experts whose sort keys expert choice builds per pass over the scores (16 floats are one cache line).</summary>
    private const int ExpertChoiceBlock = 16;

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
        // Experts go in blocks whose keys are built in one pass over the rows: a column at a time would read one cache
        // line per score.
        int block = Math.Min(experts, ExpertChoiceBlock);
        // Columns a little more than the token count apart: a power-of-two stride would put all of a row's writes in one cache set.
        int stride = tokens + 24;
        Span<ulong> keys = GateWorkspace.Ensure(ref workspace.ColumnKeys, block * stride).AsSpan(0, block * stride);
        for (int first = 0; first < experts && take > 0; first += block)
        {
            int width = Math.Min(block, experts - first);
            for (int t = 0; t < tokens; t++)
            {
                ReadOnlySpan<float> row = scores.Slice(t * experts + first, width);
                for (int j = 0; j < width; j++)
                {
                    // Ascending key = descending score, then ascending token: the keys are distinct, so the C smallest are one set.
                    keys[j * stride + t] = ((ulong)PriorityOrder.Key(row[j]) << 32) | (uint)t;
                }
            }

            for (int j = 0; j < width; j++)
            {
                Span<ulong> column = keys.Slice(j * stride, tokens);
                SelectSmallestFiltered(column, take);
                foreach (ulong key in column[..take])
                {
                    int t = (int)(uint)key;
                    routes[t * experts + filled[t]++] = first + j;
                }
            }
        }

        // Experts were visited in ascending order, so each row is already ascending. The choices: top-k in each row's first k slots.
        Span<int> choices = workspace.ChoiceBuffer;
        choices.Fill(-1);
        Span<int> top = GateWorkspace.Ensure(ref workspace.TopChoices, tokens * k).AsSpan(0, tokens * k);
        TopKRows(scores, tokens, experts, k, top, workspace);
        for (int t = 0; t < tokens; t++)
        {
            top.Slice(t * k, k).CopyTo(choices.Slice(t * experts, k));
        }

        workspace.Finish(hasChoices: true);
    }

    /// <summary>
    /// <see cref="SelectSmallest"/> for a small share of many keys: a threshold from a strided sample, with room to
    /// spare, moves the keys below it to the front in one predictable pass, and the selection runs on those alone. When
    /// the sample misjudges (fewer than <paramref name="count"/> keys pass), the whole span is selected. The result is
    /// the same set either way (the keys are distinct).
    /// </summary>
    internal static void SelectSmallestFiltered(Span<ulong> keys, int count)
    {
        const int SampleSize = 256;
        if (keys.Length < 8 * SampleSize || count * 8L > keys.Length)
        {
            SelectSmallest(keys, count);
            return;
        }

        Span<ulong> sample = stackalloc ulong[SampleSize];
        int stride = keys.Length / SampleSize;
        for (int i = 0; i < SampleSize; i++)
        {
            sample[i] = keys[i * stride];
        }

        // The sample's rank of count, plus a margin of a few standard deviations of a binomial count.
        double expected = (double)count * SampleSize / keys.Length;
        int rank = Math.Min(SampleSize - 1, (int)(expected + 4 * Math.Sqrt(expected + 1) + 2));
        SelectSmallest(sample, rank + 1);
        ulong threshold = 0;
        foreach (ulong key in sample[..(rank + 1)])
        {
            threshold = Math.Max(threshold, key);
        }

        int passed = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            ulong key = keys[i];
            if (key <= threshold)
            {
                (keys[passed], keys[i]) = (key, keys[passed]);
                passed++;
            }
        }

        SelectSmallest(passed >= count ? keys[..passed] : keys, count);
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
