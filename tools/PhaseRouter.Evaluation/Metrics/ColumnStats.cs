using System.Text.Json.Serialization;

namespace PhaseRouter.Evaluation.Metrics;

/// <summary>
/// Per-target (column) load statistics of one routing, with the original's definitions: population standard deviation
/// (numpy's <c>np.std</c>) and skew = max / mean (0 when nothing was routed).
/// </summary>
public sealed record ColumnStats(
    [property: JsonPropertyName("col_min")] int Min,
    [property: JsonPropertyName("col_max")] int Max,
    [property: JsonPropertyName("col_mean")] double Mean,
    [property: JsonPropertyName("col_std")] double Std,
    [property: JsonPropertyName("col_skew")] double Skew);
