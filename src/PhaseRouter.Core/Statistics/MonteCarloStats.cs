namespace PhaseRouter.Statistics;

/// <summary>
/// Seed-averaged load statistics (SPEC §4 <c>MonteCarloStats</c>), from
/// <see cref="RoutingStatistics.MonteCarlo(LoadSamples, IReadOnlyList{double}?, IReadOnlyList{int}?)"/>. Per-target
/// lists have length C.
/// </summary>
/// <remarks>
/// Two families of figures stand side by side. <see cref="StdLoad"/>, <see cref="P95Load"/>, <see cref="TemporalSkew"/>,
/// <see cref="GlobalSkew"/>, <see cref="IdealMean"/>, <see cref="Bias"/> and <see cref="RelativeError"/> follow the
/// original library's <c>monte_carlo_stats</c> (numpy's population standard deviation, numpy's linear-interpolation
/// percentile, temporal skew per target, an ideal mean proportional to the target degrees), so figures compare with
/// the original's one to one. <see cref="SampleStdLoad"/>, <see cref="P95LoadObserved"/>, <see cref="MeanCallSkew"/>
/// and the <c>Expected…</c> members are this library's own: unbiased spread, quantiles that are observed loads, and a
/// comparison with the router's exact first-order law.
/// </remarks>
public sealed record MonteCarloStats
{
    /// <summary>The number of samples (seeds).</summary>
    public required int Samples { get; init; }

    /// <summary>C, the number of targets.</summary>
    public required int Targets { get; init; }

    /// <summary>The seed of sample 0.</summary>
    public required ulong SeedBase { get; init; }

    /// <summary>Per target, the load averaged over samples.</summary>
    public required IReadOnlyList<double> MeanLoad { get; init; }

    /// <summary>
    /// Per target, the population standard deviation of the load over samples (divisor n, numpy's <c>np.std</c>): the
    /// original's <c>std_load</c>. 0 with a single sample.
    /// </summary>
    public required IReadOnlyList<double> StdLoad { get; init; }

    /// <summary>
    /// Per target, the sample standard deviation of the load over samples (divisor n − 1, unbiased variance; NaN with
    /// a single sample). This library's spread figure.
    /// </summary>
    public required IReadOnlyList<double> SampleStdLoad { get; init; }

    /// <summary>
    /// Per target, the 95th percentile of the load over samples by linear interpolation between order statistics
    /// (numpy's default <c>np.percentile</c>, Hyndman–Fan type 7, MathNet R7): the original's <c>p95_load</c>. It may
    /// fall between two observed loads.
    /// </summary>
    public required IReadOnlyList<double> P95Load { get; init; }

    /// <summary>
    /// Per target, the empirical 0.95-quantile of the load over samples that is always an observed load (inverse of
    /// the empirical distribution, MathNet R1): the smallest load at or above which at most 5% of the samples lie.
    /// </summary>
    public required IReadOnlyList<double> P95LoadObserved { get; init; }

    /// <summary>Per target, the largest load over samples.</summary>
    public required IReadOnlyList<int> MaxLoad { get; init; }

    /// <summary>The largest load of any target in any sample.</summary>
    public required int PeakLoad { get; init; }

    /// <summary>The largest target load of a call, averaged over samples.</summary>
    public required double MeanPeakLoad { get; init; }

    /// <summary>The filled slots per call, averaged over samples.</summary>
    public required double MeanActiveRoutes { get; init; }

    /// <summary>
    /// Per target, <c>MaxLoad / MeanLoad</c>, and 1 where the mean load is 0: the original's <c>temporal_skew</c>, how
    /// far a target's worst call rises above its own average.
    /// </summary>
    public required IReadOnlyList<double> TemporalSkew { get; init; }

    /// <summary>
    /// Per call, the largest target load over the mean target load, averaged over the samples that routed anything
    /// (NaN when none did). It measures the imbalance a single call shows (this library's figure; the original has no
    /// counterpart).
    /// </summary>
    public required double MeanCallSkew { get; init; }

    /// <summary>
    /// The largest <see cref="MeanLoad"/> over the mean of <see cref="MeanLoad"/> (NaN when nothing was routed): the
    /// imbalance that persists across seeds. Same definition as the original's <c>global_skew</c> (which adds 1e-9 to
    /// the denominator instead of returning NaN).
    /// </summary>
    public required double GlobalSkew { get; init; }

    /// <summary>
    /// Per target, the original's <c>ideal_mean</c>: the observed routing mass <c>Σ MeanLoad</c> shared out in
    /// proportion to the target degrees, <c>Σ MeanLoad · t_j / Σ t</c>. Null when the target degrees are unknown or
    /// all 0. Compare <see cref="ExpectedLoad"/>, the exact law.
    /// </summary>
    public IReadOnlyList<double>? IdealMean { get; init; }

    /// <summary>Per target, <c>MeanLoad − IdealMean</c> (the original's <c>bias</c>), or null without <see cref="IdealMean"/>.</summary>
    public IReadOnlyList<double>? Bias { get; init; }

    /// <summary>
    /// Per target, <c>Bias / IdealMean</c>, and 0 where the ideal is 0 (the original's <c>relative_error</c>), or null
    /// without <see cref="IdealMean"/>.
    /// </summary>
    public IReadOnlyList<double>? RelativeError { get; init; }

    /// <summary>
    /// Per target, the expected load the samples are compared with (this library's: normally the router's exact
    /// first-order law, <see cref="LoadExpectation.ExpectedLoad"/>), or null when none was available.
    /// </summary>
    public IReadOnlyList<double>? ExpectedLoad { get; init; }

    /// <summary>Whether <see cref="ExpectedLoad"/> is exact (see <see cref="LoadExpectation.IsExact"/>); false when absent.</summary>
    public bool ExpectedIsExact { get; init; }

    /// <summary>Per target, <c>MeanLoad − ExpectedLoad</c>, or null without an expectation.</summary>
    public IReadOnlyList<double>? ExpectedBias { get; init; }

    /// <summary>
    /// Per target, <c>(MeanLoad − ExpectedLoad) / ExpectedLoad</c> (0 where both are 0, infinite where the
    /// expectation is 0 and the mean is not), or null without an expectation.
    /// </summary>
    public IReadOnlyList<double>? ExpectedRelativeError { get; init; }

    /// <summary>
    /// The largest absolute <see cref="ExpectedRelativeError"/> over targets whose expectation is positive (NaN without
    /// an expectation).
    /// </summary>
    public double MaxRelativeError { get; init; } = double.NaN;
}
