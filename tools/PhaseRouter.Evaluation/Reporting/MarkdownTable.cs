using System.Globalization;
using System.Text;

namespace PhaseRouter.Evaluation.Reporting;

/// <summary>A Markdown table built row by row; cells are formatted with the invariant culture.</summary>
public sealed class MarkdownTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Starts a table with these column headers.</summary>
    /// <param name="headers">Column headers.</param>
    public MarkdownTable(params string[] headers)
    {
        _headers = headers;
    }

    /// <summary>Adds a row; it must have one cell per header.</summary>
    /// <param name="cells">The cells (formatted with <see cref="Cell"/>).</param>
    public MarkdownTable Add(params object?[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"A row needs {_headers.Length} cells; got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells.Select(Cell).ToArray());
        return this;
    }

    /// <summary>Formats one value: numbers by <see cref="Number"/>, null and NaN as an en dash, anything else by ToString.</summary>
    /// <param name="value">The value.</param>
    public static string Cell(object? value) => value switch
    {
        null => "–",
        double d when double.IsNaN(d) => "–",
        double d => Number(d),
        float f => Number(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>A number with as many decimals as its size asks for (3 significant figures, at least 2 decimals below 100).</summary>
    /// <param name="value">The number.</param>
    public static string Number(double value) => Number(value, value);

    /// <summary><paramref name="value"/> with the decimals <see cref="Number(double)"/> would give <paramref name="scale"/> (e.g. a std beside its mean).</summary>
    /// <param name="value">The number.</param>
    /// <param name="scale">The number whose size sets the decimals.</param>
    public static string Number(double value, double scale)
    {
        double magnitude = Math.Abs(scale);
        string format = magnitude >= 1000 ? "0" : magnitude >= 100 ? "0.0" : magnitude >= 0.1 || magnitude == 0 ? "0.00" : "0.#####";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>"mean ± std", both with the mean's decimals.</summary>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation.</param>
    public static string MeanStd(double mean, double std) => $"{Number(mean)} ± {Number(std, mean)}";

    /// <summary>ours / original, or "–" when either is missing or the original is 0.</summary>
    /// <param name="ours">Our figure.</param>
    /// <param name="original">The original's figure.</param>
    public static string Ratio(double? ours, double? original) =>
        ours is { } o && original is { } r && r != 0 && !double.IsNaN(o) ? (o / r).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–";

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", _headers)).AppendLine(" |");
        sb.Append('|').Append(string.Join('|', _headers.Select(_ => "---"))).AppendLine("|");
        foreach (string[] row in _rows)
        {
            sb.Append("| ").Append(string.Join(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))).AppendLine(" |");
        }

        return sb.ToString();
    }
}
