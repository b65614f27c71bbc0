namespace PhaseRouter.Statistics;

/// <summary>How a <see cref="TargetLoadLaw"/> was obtained.</summary>
public enum LoadLawModel
{
    /// <summary>
    /// Exact: the selection never caps, so the load of target j is its candidate count, which over seeds is a mixture
    /// of two hypergeometric laws (see <see cref="TargetLoadLaw"/>).
    /// </summary>
    ExactHypergeometricMixture = 0,

    /// <summary>
    /// Approximate: the exact candidate-count law thinned binomially by the target's mean keep probability
    /// (expected load over expected candidate load). The mean is exact; the spread ignores that the keep probability
    /// differs between sources.
    /// </summary>
    ThinnedHypergeometricMixture = 1,
}
