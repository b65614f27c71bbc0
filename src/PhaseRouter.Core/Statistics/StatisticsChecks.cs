namespace PhaseRouter.Statistics;

/// <summary>Argument checks shared by the statistics; every failure names the parameter and the value.</summary>
internal static class StatisticsChecks
{
    public static int[] Degrees(ReadOnlySpan<int> degrees, int ring, string name)
    {
        for (int i = 0; i < degrees.Length; i++)
        {
            if ((uint)degrees[i] > (uint)ring)
            {
                throw new ArgumentOutOfRangeException(name, degrees[i],
                    $"{name}[{i}] = {degrees[i]} must be in [0, {ring}] (its ring has {ring} positions).");
            }
        }

        return degrees.ToArray();
    }

    public static void K(int k, string name = "k")
    {
        if (k < 1)
        {
            throw new ArgumentOutOfRangeException(name, k, $"{name}, the fan-out bound, must be at least 1.");
        }
    }

    public static void Samples(int samples, string name = "samples")
    {
        if (samples < 1)
        {
            throw new ArgumentOutOfRangeException(name, samples, $"{name} must be at least 1.");
        }
    }

    public static void Parallelism(int maxDegreeOfParallelism, string name)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(name, maxDegreeOfParallelism,
                $"{name} must be -1 (all cores) or at least 1.");
        }
    }

    public static void Confidence(double confidence, string name = "confidence")
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(name, confidence, $"{name} must be in (0, 1).");
        }
    }

    public static void Shapes(BitMatrix sources, BitMatrix targets)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Rows != sources.Columns || targets.Columns != sources.Rows)
        {
            throw new ArgumentException(
                $"targets must be C×R = {sources.Columns}×{sources.Rows} for sources of {sources.Rows}×{sources.Columns}; got {targets.Rows}×{targets.Columns}.",
                nameof(targets));
        }
    }

    /// <summary>
    /// The first-order law describes seed-derived permutations and random selection: scores, capacities and pinned
    /// permutations fall outside it.
    /// </summary>
    public static bool LawApplies(RouterOptions options) =>
        options.Scores is null && options.TargetCapacities is null && options.Permutations is null;

    public static void LawOptions(RouterOptions options, string name = "options")
    {
        if (!LawApplies(options))
        {
            throw new ArgumentException(
                "The first-order law describes seed-derived permutations with random selection; options must not set " +
                $"Scores, TargetCapacities or Permutations (got Scores {Set(options.Scores)}, TargetCapacities " +
                $"{Set(options.TargetCapacities)}, Permutations {Set(options.Permutations)}).",
                name);
        }
    }

    public static int[]? Limits(RouterOptions options, int rows, int k, string name = "options")
    {
        if (options.SourceLimits is not { } limits)
        {
            return null;
        }

        if (limits.Length != rows)
        {
            throw new ArgumentException($"SourceLimits must hold R = {rows} values; got {limits.Length}.", name);
        }

        int bad = Array.FindIndex(limits, l => (uint)l > (uint)k);
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(name, limits[bad], $"SourceLimits[{bad}] must be in [0, k = {k}].");
        }

        return limits;
    }

    private static string Set(object? value) => value is null ? "unset" : "set";
}
