namespace PhaseRouter.Statistics;

/// <summary>
/// Theory against observation, per fan-out bound (SPEC §4 <c>AnalyzeRoutingDistribution</c>), from
/// <see cref="RoutingStatistics.AnalyzeRoutingDistribution(ReadOnlySpan{int}, ReadOnlySpan{int}, IReadOnlyList{int}?, int, ulong, RouterOptions?)"/>.
/// </summary>
public sealed record DistributionAnalysis
{
    /// <summary>R, the number of sources.</summary>
    public required int Sources { get; init; }

    /// <summary>C, the number of targets.</summary>
    public required int Targets { get; init; }

    /// <summary>Seeds per evaluated k.</summary>
    public required int Samples { get; init; }

    /// <summary>Candidates per call over R·C, averaged over the samples: the observed density of Cand.</summary>
    public required double ObservedCandidateDensity { get; init; }

    /// <summary>The exact expectation of the same: <c>Σs·Σt / (C·R)²</c>, from <c>P(j ∈ Cand_i) = s_i·t_j/(C·R)</c>.</summary>
    public required double ExpectedCandidateDensity { get; init; }

    /// <summary>One entry per k, in the order asked.</summary>
    public required IReadOnlyList<KDistribution> PerK { get; init; }
}
