using System.Text.Json.Serialization;

namespace PhaseRouter.Evaluation.Metrics;

/// <summary>
/// The checks of one routing: at most k routes per source, every route in <c>[0, C)</c>, no duplicate in a row, the
/// unused slots after the routes and all <c>-1</c>, and (when the candidates were given) every route a candidate.
/// </summary>
public sealed record RouteValidation(
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("routes_le_k")] bool FanOutWithinK,
    [property: JsonPropertyName("within_bounds")] bool WithinBounds,
    [property: JsonPropertyName("no_duplicates")] bool NoDuplicates,
    [property: JsonPropertyName("padding_ok")] bool PaddingOk,
    [property: JsonPropertyName("routes_are_candidates")] bool? RoutesAreCandidates,
    [property: JsonPropertyName("error_messages")] IReadOnlyList<string> Errors);
