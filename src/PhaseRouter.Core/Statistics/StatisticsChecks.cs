namespace PhaseRouter.Statistics;

/// <summary>
/// Argument checks of the statistics; every failure names the parameter and the value. The checks they share with
/// the router are <see cref="ArgumentChecks"/>'.
/// </summary>
internal static class StatisticsChecks
{
    public static void Samples(int samples, string name = "samples")
    {
        if (samples < 1)
        {
            throw new ArgumentOutOfRangeException(name, samples, $"{name} must be at least 1.");
        }
    }

    public static void Confidence(double confidence, string name = "confidence")
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(name, confidence, $"{name} must be in (0, 1).");
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

    private static string Set(object? value) => value is null ? "unset" : "set";
}
