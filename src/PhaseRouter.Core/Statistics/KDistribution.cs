namespace PhaseRouter.Statistics;

/// <summary>Theory against observation for one fan-out bound, in a <see cref="DistributionAnalysis"/>.</summary>
/// <param name="K">The fan-out bound.</param>
/// <param name="GlobalSkew">Observed <see cref="MonteCarloStats.GlobalSkew"/>.</param>
/// <param name="MeanCallSkew">Observed <see cref="MonteCarloStats.MeanCallSkew"/>.</param>
/// <param name="ExpectedGlobalSkew">The global skew of the exact expected loads (<see cref="LoadExpectation.GlobalSkew"/>), the limit of many seeds.</param>
/// <param name="ObservedRouteDensity">Filled slots per call over R·C, averaged over samples.</param>
/// <param name="ExpectedRouteDensity">The exact expectation of the same: <c>Σ_j E[load_j] / (R·C)</c>.</param>
/// <param name="MaxRelativeError">The largest |mean − expected| / expected over targets (<see cref="MonteCarloStats.MaxRelativeError"/>).</param>
/// <param name="ExpectedIsExact">Whether the expected loads are exact (<see cref="LoadExpectation.IsExact"/>).</param>
/// <param name="Fit">The chi-square fit of the per-target loads against their laws.</param>
public sealed record KDistribution(
    int K,
    double GlobalSkew,
    double MeanCallSkew,
    double ExpectedGlobalSkew,
    double ObservedRouteDensity,
    double ExpectedRouteDensity,
    double MaxRelativeError,
    bool ExpectedIsExact,
    GoodnessOfFit Fit);
