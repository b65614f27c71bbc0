using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PhaseRouter.Evaluation.Reporting;

/// <summary>Writes results as indented JSON (System.Text.Json); NaN and infinities are written as named literals.</summary>
public static class JsonOutput
{
    /// <summary>The serializer options of every file the tool writes.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Serializes <paramref name="value"/> into <paramref name="path"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="value">The value.</param>
    public static void Save<T>(string path, T value) => File.WriteAllText(path, JsonSerializer.Serialize(value, Options));
}
