using System.Diagnostics;
using System.Numerics;
using PhaseRouter.Engine;
using PhaseRouter.Kernels;

namespace PhaseRouter.Baselines;

/// <summary>
/// The original library's hash baseline: source i takes up to k of its candidates
/// <c>{ j : S[i][j] = 1 and T[j][i] = 1 }</c> (the pairs both sides accept; the original writes <c>S[i] &amp; T[i]</c> for
/// its square matrices) by a keyed hash, with no balancing at all. It returns the same <see cref="RoutingResult"/> as
/// <see cref="Router"/>, so every statistic runs on both.
/// </summary>
/// <remarks>
/// The hash of the pair <c>(i, j)</c> under a seed is
/// <c>SplitMix64.Mix(PhaseRandom.StreamState(seed, PhaseRandom.HashDomain, i) ^ j)</c>; source <c>i</c> keeps the
/// k candidates with the smallest hashes (ties, which need a 64-bit collision, to the lower target) and stores
/// them in ascending target order. The routes depend only on S, T, k, the seed and the source limits, never on the
/// thread count. With T all ones the candidates are S's row, so the baseline then routes within each source's own row.
/// </remarks>
public static class HashRouter
{
    /// <summary>Routes every source to up to k of the targets both S and T accept for it.</summary>
    /// <param name="sources">S, <c>R × C</c>: the ones of row i are the targets source i may use.</param>
    /// <param name="targets">T, <c>C × R</c>: the ones of row j are the sources target j accepts.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">
    /// Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>. The baseline honours
    /// <see cref="RouterOptions.Seed"/>, <see cref="RouterOptions.SourceLimits"/> and
    /// <see cref="RouterOptions.MaxDegreeOfParallelism"/>; <see cref="RouterOptions.PermuteRows"/> and
    /// <see cref="RouterOptions.Kernel"/> do not apply and are ignored.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The shapes do not match, k is below 1, an option is invalid, or the options ask for scores, target capacities or
    /// explicit permutations, which the baseline does not implement.
    /// </exception>
    public static RoutingResult Route(BitMatrix sources, BitMatrix targets, int k, RouterOptions? options = null)
    {
        long start = Stopwatch.GetTimestamp();
        ArgumentChecks.Shapes(sources, targets);

        options ??= RouterOptions.Default;
        Validate(sources.Rows, k, options);

        // Row i of Tᵀ marks the targets that accept source i, so Cand_i is a word-wise AND of two rows.
        return Run(sources, targets.Transpose(), k, options, start);
    }

    /// <summary>The keyed hash of the pair (source, target) under a seed; smaller hashes are preferred.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="source">The source index i.</param>
    /// <param name="target">The target index j.</param>
    public static ulong Hash(ulong seed, int source, int target) =>
        Mix(PhaseRandom.StreamState(seed, PhaseRandom.HashDomain, (ulong)source), target);

    private static ulong Mix(ulong rowKey, int target) => SplitMix64.Mix(rowKey ^ (ulong)(uint)target);

    private static RoutingResult Run(BitMatrix sources, BitMatrix acceptedBy, int k, RouterOptions options, long start)
    {
        int rows = sources.Rows;
        int columns = sources.Columns;
        ulong seed = options.Seed;
        var output = new CompactOutput(rows, columns, null);
        CompactFill.Run(rows, columns, k, options.SourceLimits, (long)rows * sources.WordsPerRow * 4,
            Math.Min((long)rows * Math.Min(k, columns), 1L << 20), options.MaxDegreeOfParallelism, output,
            () => new (ulong Hash, int Target)[Math.Max(1, columns)],
            (i, limit, slots, pairs) => SelectRow(sources.Row(i), acceptedBy.Row(i), PhaseRandom.StreamState(seed, PhaseRandom.HashDomain, (ulong)i),
                limit, pairs, slots));
        return output.Result(0, rows, columns, k, null, 0, start);
    }

    /// <summary>The <paramref name="limit"/> candidates of one row with the smallest hashes, written ascending.</summary>
    private static int SelectRow(ReadOnlySpan<ulong> row, ReadOnlySpan<ulong> accepted, ulong rowKey, int limit, (ulong Hash, int Target)[] pairs,
        Span<int> destination)
    {
        int count = 0;
        for (int w = 0; w < row.Length; w++)
        {
            ulong bits = row[w] & accepted[w];
            while (bits != 0)
            {
                int j = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                pairs[count++] = (Mix(rowKey, j), j);
            }
        }

        if (count <= limit)
        {
            // Every candidate fits; they were collected in ascending order.
            for (int c = 0; c < count; c++)
            {
                destination[c] = pairs[c].Target;
            }

            return count;
        }

        // Ascending (hash, target): the tuple order breaks hash ties by the lower target.
        Span<(ulong Hash, int Target)> all = pairs.AsSpan(0, count);
        all.Sort();
        Span<int> chosen = destination[..limit];
        for (int c = 0; c < limit; c++)
        {
            chosen[c] = all[c].Target;
        }

        chosen.Sort();
        return limit;
    }

    private static void Validate(int rows, int k, RouterOptions options)
    {
        ArgumentChecks.K(k);
        ArgumentChecks.Parallelism(options.MaxDegreeOfParallelism, nameof(options));

        if (options.Scores is not null)
        {
            throw new ArgumentException("The hash baseline does not rank by scores; Scores must be null.", nameof(options));
        }

        if (options.TargetCapacities is not null)
        {
            throw new ArgumentException(
                "The hash baseline does not enforce target capacities; TargetCapacities must be null.", nameof(options));
        }

        if (options.Permutations is not null)
        {
            throw new ArgumentException("The hash baseline uses no permutations; Permutations must be null.", nameof(options));
        }

        ArgumentChecks.Limits(options, rows, k);
    }
}
