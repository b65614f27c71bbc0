using Microsoft.ML;

namespace PhaseRouter.ML;

/// <summary>Catalog extensions that create <see cref="PhaseRoutingEstimator"/> from <c>mlContext.Transforms</c>.</summary>
public static class PhaseRoutingCatalog
{
    /// <summary>
    /// Assigns each row to its top <paramref name="k"/> classes by score, no class receiving more than
    /// <c>⌈capacityFactor · rows · k / C⌉</c> rows of the transformed batch.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The output column: a vector of k class indices, best first, -1 = unassigned.</param>
    /// <param name="scoreColumnName">The input column: a known-size vector of <see cref="float"/>, one score per class.</param>
    /// <param name="k">Classes per row, in <c>[1, C]</c>.</param>
    /// <param name="capacityFactor">Capacity factor, finite and greater than 0 (1 = no slack).</param>
    /// <param name="seed">Seed of the routing call.</param>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    public static PhaseRoutingEstimator AssignWithCapacity(this TransformsCatalog catalog,
        string outputColumnName = PhaseRoutingOptions.DefaultOutputColumnName,
        string scoreColumnName = PhaseRoutingOptions.DefaultScoreColumnName,
        int k = 1, double capacityFactor = 1.0, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        PhaseRouterComponents.RegisterFrom(catalog);
        return new PhaseRoutingEstimator(new PhaseRoutingOptions
        {
            OutputColumnName = outputColumnName,
            ScoreColumnName = scoreColumnName,
            K = k,
            CapacityFactor = capacityFactor,
            Seed = seed,
        });
    }

    /// <summary>Assigns each row to its top <paramref name="k"/> classes by score, class j receiving at most <c>targetCapacities[j]</c> rows.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="targetCapacities">One capacity (≥ 0) per class; copied.</param>
    /// <param name="outputColumnName">The output column: a vector of k class indices, best first, -1 = unassigned.</param>
    /// <param name="scoreColumnName">The input column: a known-size vector of <see cref="float"/>, one score per class.</param>
    /// <param name="k">Classes per row, in <c>[1, C]</c>.</param>
    /// <param name="seed">Seed of the routing call.</param>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    public static PhaseRoutingEstimator AssignWithCapacity(this TransformsCatalog catalog, int[] targetCapacities,
        string outputColumnName = PhaseRoutingOptions.DefaultOutputColumnName,
        string scoreColumnName = PhaseRoutingOptions.DefaultScoreColumnName,
        int k = 1, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(targetCapacities);
        PhaseRouterComponents.RegisterFrom(catalog);
        return new PhaseRoutingEstimator(new PhaseRoutingOptions
        {
            OutputColumnName = outputColumnName,
            ScoreColumnName = scoreColumnName,
            K = k,
            TargetCapacities = targetCapacities,
            Seed = seed,
        });
    }

    /// <summary>Creates the estimator from full options.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static PhaseRoutingEstimator AssignWithCapacity(this TransformsCatalog catalog, PhaseRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        PhaseRouterComponents.RegisterFrom(catalog);
        return new PhaseRoutingEstimator(options);
    }
}
