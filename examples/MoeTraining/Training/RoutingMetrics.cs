namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The routing measures of the comparison, as plain functions of loads, routes and choices.</summary>
public static class RoutingMetrics
{
    /// <summary>
    /// MaxVio of a load vector: <c>max_e load_e / mean_e load_e − 1</c> (0 for a perfectly balanced or an empty load),
    /// the imbalance measure of DeepSeek-V3's auxiliary-loss-free balancing.
    /// </summary>
    public static double MaxVio(IReadOnlyList<long> loads)
    {
        ArgumentNullException.ThrowIfNull(loads);
        long sum = 0;
        long max = 0;
        foreach (long load in loads)
        {
            sum += load;
            max = Math.Max(max, load);
        }

        return sum == 0 ? 0 : (max * (double)loads.Count / sum) - 1;
    }

    /// <summary><see cref="MaxVio(IReadOnlyList{long})"/> of int loads.</summary>
    public static double MaxVio(IReadOnlyList<int> loads)
    {
        ArgumentNullException.ThrowIfNull(loads);
        return MaxVio([.. loads.Select(l => (long)l)]);
    }

    /// <summary>
    /// Routed slots whose expert is not among the token's choices (its top-k before capacity): the slots the policy
    /// placed outside the token's preference (spill). 0 when there are no choices to compare with.
    /// </summary>
    /// <param name="routes"><c>tokens · k</c> experts after capacity, -1 = empty slot.</param>
    /// <param name="choices"><c>tokens · k</c> experts before capacity, or empty.</param>
    /// <param name="k">Slots per token.</param>
    public static int SpilledSlots(ReadOnlySpan<int> routes, ReadOnlySpan<int> choices, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (choices.IsEmpty)
        {
            return 0;
        }

        if (choices.Length != routes.Length)
        {
            throw new ArgumentException($"{choices.Length} choices for {routes.Length} routes.", nameof(choices));
        }

        int spilled = 0;
        for (int at = 0; at < routes.Length; at++)
        {
            int expert = routes[at];
            int token = at / k;
            if (expert >= 0 && !choices.Slice(token * k, k).Contains(expert))
            {
                spilled++;
            }
        }

        return spilled;
    }

    /// <summary>
    /// Slots short of <paramref name="k"/>: Σ over tokens of <c>max(0, k − experts the token got)</c>, for routes
    /// <paramref name="width"/> slots wide per token (k, or E for expert choice).
    /// </summary>
    public static int ShortSlots(ReadOnlySpan<int> routes, int width, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int shortfall = 0;
        for (int start = 0; start + width <= routes.Length; start += width)
        {
            int got = 0;
            foreach (int expert in routes.Slice(start, width))
            {
                got += expert >= 0 ? 1 : 0;
            }

            shortfall += Math.Max(0, k - got);
        }

        return shortfall;
    }
}
