namespace PhaseRouter.Statistics;

/// <summary>
/// Per-target capacities that cover a load with confidence p (SPEC §4 <c>EstimateExpertCapacity</c>): measured from
/// seed samples, and side by side the analytic counterparts. Per-target lists have length C. From
/// <see cref="RoutingStatistics.EstimateCapacity(LoadSamples, double, LoadExpectation?)"/>.
/// </summary>
public sealed record CapacityEstimate
{
    /// <summary>The confidence p: each capacity is a p-quantile of a load.</summary>
    public required double Confidence { get; init; }

    /// <summary>The number of samples measured.</summary>
    public required int Samples { get; init; }

    /// <summary>Per target, the empirical p-quantile of its load (MathNet R1): in at least a fraction p of the samples the load was at or below it.</summary>
    public required IReadOnlyList<int> RequiredCapacity { get; init; }

    /// <summary>
    /// Per target, the p-th percentile of its load by linear interpolation between order statistics (numpy's default
    /// <c>np.percentile</c>, MathNet R7): the original's <c>required_capacity</c>, which may be fractional. Compare
    /// <see cref="RequiredCapacity"/>, always an observed load.
    /// </summary>
    public required IReadOnlyList<double> LinearRequiredCapacity { get; init; }

    /// <summary>Per target, the mean load over samples.</summary>
    public required IReadOnlyList<double> MeanLoad { get; init; }

    /// <summary>Per target, <c>⌈MeanLoad⌉</c>: the capacity that would only cover the average.</summary>
    public required IReadOnlyList<int> MeanCapacity { get; init; }

    /// <summary>Per target, <c>RequiredCapacity − MeanLoad</c>: the slots above the mean that confidence p costs.</summary>
    public required IReadOnlyList<double> Headroom { get; init; }

    /// <summary>Per target, <c>MeanLoad / RequiredCapacity</c>: the share of the provisioned capacity used on average (1 where both are 0).</summary>
    public required IReadOnlyList<double> Utilisation { get; init; }

    /// <summary><c>Σ MeanLoad / Σ RequiredCapacity</c> over all targets (1 when both are 0).</summary>
    public required double TotalUtilisation { get; init; }

    /// <summary>
    /// One capacity for every target: the empirical p-quantile of the per-sample largest load, so that in at least a
    /// fraction p of the samples no target exceeds it (a joint guarantee, unlike the per-target quantiles).
    /// </summary>
    public required int UniformCapacity { get; init; }

    /// <summary>
    /// Per target, the p-quantile of the router's load law (<see cref="TargetLoadLaw"/>), or null when no law was
    /// given. Exact when <see cref="AnalyticModel"/> is <see cref="LoadLawModel.ExactHypergeometricMixture"/>.
    /// </summary>
    public IReadOnlyList<int>? AnalyticCapacity { get; init; }

    /// <summary>The model behind <see cref="AnalyticCapacity"/> (the least exact over targets), or null.</summary>
    public LoadLawModel? AnalyticModel { get; init; }

    /// <summary>
    /// Per target, the p-quantile of <c>Binomial(R, mean/R)</c>: the load if each of the R sources picked the target
    /// independently with the same probability (MathNet <c>Binomial.CDF</c>, searched). The mean is the law's expected
    /// load when a law was given, else the sample mean; null when R is unknown.
    /// </summary>
    public IReadOnlyList<int>? BinomialCapacity { get; init; }

    /// <summary>Per target, the p-quantile of <c>Poisson(mean)</c> (MathNet <c>Poisson.CDF</c>, searched), with the mean as for <see cref="BinomialCapacity"/>.</summary>
    public required IReadOnlyList<int> PoissonCapacity { get; init; }

    /// <summary>Warnings about the estimate, e.g. <see cref="RoutingWarningCode.TooFewSamples"/>.</summary>
    public required IReadOnlyList<RoutingWarning> Warnings { get; init; }
}
