namespace PhaseRouter.Statistics;

/// <summary>
/// A chi-square goodness-of-fit test of observed per-target loads against their predicted laws: the loads of every
/// target in every sample are pooled by value, the expected count of each value is the sum over targets of
/// <c>samples · P_j(value)</c>, and adjacent values are merged until every bin expects at least 5.
/// </summary>
/// <remarks>
/// The test treats the <c>samples · C</c> loads as independent. Loads of one call are not (their sum is nearly fixed),
/// so the p-value is approximate; read a tiny one as a misfit, not as an exact false-alarm rate.
/// </remarks>
/// <param name="Statistic">The chi-square statistic <c>Σ (O − E)² / E</c>.</param>
/// <param name="DegreesOfFreedom">Bins − 1 (0 when everything falls in one bin).</param>
/// <param name="PValue">P(χ² ≥ statistic) from MathNet's <c>ChiSquared.CDF</c> (1 with a single bin).</param>
/// <param name="Bins">The number of bins after merging.</param>
/// <param name="Observations">The number of loads pooled: samples · C.</param>
/// <param name="Model">The least exact law among the targets' (see <see cref="LoadLawModel"/>).</param>
public sealed record GoodnessOfFit(double Statistic, int DegreesOfFreedom, double PValue, int Bins, long Observations,
    LoadLawModel Model);
