using System.Globalization;
using System.Text;

namespace PhaseRouter.Evaluation.Reporting;

/// <summary>A CSV file built row by row (RFC 4180 quoting, invariant culture, full double precision).</summary>
public sealed class CsvTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Starts a table with these column headers.</summary>
    /// <param name="headers">Column headers.</param>
    public CsvTable(params string[] headers)
    {
        _headers = headers;
    }

    /// <summary>Adds a row; it must have one cell per header.</summary>
    /// <param name="cells">The cells.</param>
    public CsvTable Add(params object?[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"A row needs {_headers.Length} cells; got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    /// <summary>Writes the table to <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    public void Save(string path)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', _headers.Select(Quote)));
        foreach (string[] row in _rows)
        {
            sb.AppendLine(string.Join(',', row.Select(Quote)));
        }

        File.WriteAllText(path, sb.ToString());
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
