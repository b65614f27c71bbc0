using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace PhaseRouter.Examples.MlNetMixture;

/// <summary>The comparison as a console table and as <c>summary.json</c>.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes the table to <paramref name="console"/>.</summary>
    public static void WriteTable(IAnsiConsole console, IReadOnlyList<ContenderResult> results)
    {
        var table = new Table().AddColumns("trainer", "macro acc.", "micro acc.", "log-loss", "train s", "score s", "dropped", "epochs");
        foreach (ContenderResult r in results)
        {
            table.AddRow(Markup.Escape(r.Name), Percent(r.MacroAccuracy), Percent(r.MicroAccuracy),
                r.LogLoss.ToString("F3", CultureInfo.InvariantCulture), r.TrainingSeconds.ToString("F1", CultureInfo.InvariantCulture),
                r.ScoringSeconds.ToString("F1", CultureInfo.InvariantCulture), r.DroppedSlotRate is double d ? Percent(d) : "–",
                r.Epochs?.ToString(CultureInfo.InvariantCulture) ?? "–");
        }

        console.Write(table);
    }

    /// <summary>Writes <c>summary.json</c> into <paramref name="directory"/> and returns its path.</summary>
    public static string WriteSummary(string directory, string dataset, ComparisonSettings settings, IReadOnlyList<ContenderResult> results)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "summary.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { dataset, settings, results }, Json));
        return path;
    }

    private static string Percent(double value) => value.ToString("P2", CultureInfo.InvariantCulture);
}
