using System.Runtime.CompilerServices;
using PhaseRouter.Engine;

namespace PhaseRouter.Kernels;

/// <summary>Step 8: choosing at most <c>limit</c> targets among a source's candidates.</summary>
internal static class RowSelector
{
    /// <summary>Candidate lists up to this limit are ranked by insertion; longer ones by a full sort.</summary>
    private const int InsertionLimit = 16;

    /// <summary>
    /// A uniformly random <paramref name="limit"/>-subset of the ascending candidates (all of them when there are no
    /// more than <paramref name="limit"/>), written ascending. The subset is the first <paramref name="limit"/>
    /// entries of a partial Fisher–Yates shuffle of the ascending list, drawn from the row's selection stream.
    /// </summary>
    public static int SelectRandom(Span<int> candidates, int limit, ulong seed, int row, Span<int> destination)
    {
        int m = candidates.Length;
        if (m <= limit)
        {
            candidates.CopyTo(destination);
            return m;
        }

        var rng = PhaseRandom.Stream(seed, PhaseRandom.SelectionDomain, (ulong)row);
        for (int t = 0; t < limit; t++)
        {
            int r = t + (int)rng.NextBounded((uint)(m - t));
            (candidates[t], candidates[r]) = (candidates[r], candidates[t]);
        }

        Span<int> chosen = destination[..limit];
        candidates[..limit].CopyTo(chosen);
        SmallSort.SortDistinct(chosen);
        return limit;
    }

    /// <summary>
    /// The random selection under capacities: the same Fisher–Yates stream, continued past full targets until
    /// <paramref name="limit"/> targets with room are taken. Written ascending; the caller counts the loads.
    /// </summary>
    public static int SelectRandomWithCapacity(Span<int> candidates, int limit, ulong seed, int row,
        ReadOnlySpan<ulong> full, Span<int> destination)
    {
        int m = candidates.Length;
        int taken = 0;
        var rng = PhaseRandom.Stream(seed, PhaseRandom.SelectionDomain, (ulong)row);
        for (int t = 0; t < m && taken < limit; t++)
        {
            int r = t + (int)rng.NextBounded((uint)(m - t));
            (candidates[t], candidates[r]) = (candidates[r], candidates[t]);
            int j = candidates[t];
            if ((full[j >> 6] >> j & 1) == 0)
            {
                destination[taken++] = j;
            }
        }

        SmallSort.SortDistinct(destination[..taken]);
        return taken;
    }

    /// <summary>
    /// The top <paramref name="limit"/> candidates by score (ties to the lower target), written best first.
    /// Candidates scored <see cref="float.NegativeInfinity"/> are never chosen.
    /// </summary>
    /// <param name="candidates">The candidates, in any order; reordered by the call.</param>
    /// <param name="rowScores">The source's scores, indexed by target.</param>
    /// <param name="limit">How many to choose at most.</param>
    /// <param name="destination">Receives the chosen targets, best first.</param>
    /// <param name="eligible">The number of candidates with a finite score or +∞.</param>
    public static int SelectTopScores(Span<int> candidates, ReadOnlySpan<float> rowScores, int limit,
        Span<int> destination, out int eligible)
    {
        // Drop the masked pairs first.
        int m = 0;
        for (int c = 0; c < candidates.Length; c++)
        {
            int j = candidates[c];
            if (rowScores[j] != float.NegativeInfinity)
            {
                candidates[m++] = j;
            }
        }

        eligible = m;
        if (limit == 0 || m == 0)
        {
            return 0;
        }

        if (limit <= InsertionLimit || m <= InsertionLimit)
        {
            int count = 0;
            for (int c = 0; c < m; c++)
            {
                int j = candidates[c];
                float sj = rowScores[j];
                if (count == limit && !Better(sj, j, rowScores[destination[count - 1]], destination[count - 1]))
                {
                    continue;
                }

                int pos = count == limit ? count - 1 : count++;
                while (pos > 0 && Better(sj, j, rowScores[destination[pos - 1]], destination[pos - 1]))
                {
                    destination[pos] = destination[pos - 1];
                    pos--;
                }

                destination[pos] = j;
            }

            return count;
        }

        // Long lists: one sort of 64-bit keys, the score's order-preserving bits above the target, so that ascending
        // keys are best first with ties to the lower target.
        ulong[] keys = System.Buffers.ArrayPool<ulong>.Shared.Rent(m);
        for (int c = 0; c < m; c++)
        {
            int j = candidates[c];
            keys[c] = ((ulong)PriorityOrder.Key(rowScores[j]) << 32) | (uint)j;
        }

        keys.AsSpan(0, m).Sort();
        int taken = Math.Min(limit, m);
        for (int c = 0; c < taken; c++)
        {
            destination[c] = (int)(uint)keys[c];
        }

        System.Buffers.ArrayPool<ulong>.Shared.Return(keys);
        return taken;
    }

    /// <summary>Whether (sa, ja) ranks before (sb, jb): higher score, then lower target.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Better(float sa, int ja, float sb, int jb) => sa > sb || (sa == sb && ja < jb);
}
