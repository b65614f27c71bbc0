using System.Text.Json.Serialization;

namespace PhaseRouter.Evaluation.Metrics;

/// <summary>
/// How much of the padded <c>N × k</c> route array holds a route, and how much of S's and T's ones were routed (the
/// original's fill and coverage figures).
/// </summary>
public sealed record FillMetrics(
    [property: JsonPropertyName("active_routes")] long ActiveRoutes,
    [property: JsonPropertyName("total_capacity")] long TotalCapacity,
    [property: JsonPropertyName("fill_ratio")] double FillRatio,
    [property: JsonPropertyName("routes_per_row")] double RoutesPerRow,
    [property: JsonPropertyName("total_bits_S")] long TotalBitsS,
    [property: JsonPropertyName("total_bits_T")] long TotalBitsT,
    [property: JsonPropertyName("coverage_S")] double CoverageS,
    [property: JsonPropertyName("coverage_T")] double CoverageT);
