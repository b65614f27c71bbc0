using System.Text.Json.Serialization;

namespace PhaseRouter.Evaluation.Metrics;

/// <summary>Routes per source (row) of one routing: min, max, mean and population standard deviation.</summary>
public sealed record RowStats(
    [property: JsonPropertyName("row_min")] int Min,
    [property: JsonPropertyName("row_max")] int Max,
    [property: JsonPropertyName("row_mean")] double Mean,
    [property: JsonPropertyName("row_std")] double Std);
