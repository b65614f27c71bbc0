namespace PhaseRouter.Statistics;

/// <summary>
/// Seed-averaged load statistics (SPEC §4 <c>MonteCarloStats</c>), from
/// <see cref="RoutingStatistics.MonteCarlo(LoadSamples, IReadOnlyList{double}?)"/>. Per-target lists have length C.
/// </summary>
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

    /// <summary>Per target, the sample standard deviation of the load over samples (NaN with a single sample).</summary>
    public required IReadOnlyList<double> StdLoad { get; init; }

    /// <summary>Per target, the empirical 0.95-quantile of the load over samples (MathNet R1: an observed load).</summary>
    public required IReadOnlyList<double> P95Load { get; init; }

    /// <summary>Per target, the largest load over samples.</summary>
    public required IReadOnlyList<int> MaxLoad { get; init; }

    /// <summary>The largest load of any target in any sample.</summary>
    public required int PeakLoad { get; init; }

    /// <summary>The largest target load of a call, averaged over samples.</summary>
    public required double MeanPeakLoad { get; init; }

    /// <summary>The filled slots per call, averaged over samples.</summary>
    public required double MeanActiveRoutes { get; init; }

    /// <summary>
    /// Per call, the largest target load over the mean target load, averaged over the samples that routed anything
    /// (NaN when none did). It measures the imbalance a single call shows.
    /// </summary>
    public required double TemporalSkew { get; init; }

    /// <summary>
    /// The largest <see cref="MeanLoad"/> over the mean of <see cref="MeanLoad"/> (NaN when nothing was routed): the
    /// imbalance that persists across seeds.
    /// </summary>
    public required double GlobalSkew { get; init; }

    /// <summary>Per target, the expected load the samples are compared with, or null when none was available.</summary>
    public IReadOnlyList<double>? IdealMean { get; init; }

    /// <summary>Whether <see cref="IdealMean"/> is exact (see <see cref="LoadExpectation.IsExact"/>); false when absent.</summary>
    public bool IdealIsExact { get; init; }

    /// <summary>Per target, <c>MeanLoad − IdealMean</c>, or null without an ideal.</summary>
    public IReadOnlyList<double>? Bias { get; init; }

    /// <summary>
    /// Per target, <c>(MeanLoad − IdealMean) / IdealMean</c> (0 where both are 0, infinite where only the ideal is), or
    /// null without an ideal.
    /// </summary>
    public IReadOnlyList<double>? RelativeError { get; init; }

    /// <summary>The largest absolute <see cref="RelativeError"/> over targets whose ideal is positive (NaN without an ideal).</summary>
    public double MaxRelativeError { get; init; } = double.NaN;
}
