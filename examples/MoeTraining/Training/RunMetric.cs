using System.Globalization;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>One column of the comparison: a per-run number, its header and its format.</summary>
/// <param name="Key">camelCase key in summary.json's <c>gates[].metrics</c>.</param>
/// <param name="Header">Column header.</param>
/// <param name="Value">Reads the number from a run.</param>
/// <param name="Format">.NET format string (<c>P2</c>, <c>F3</c>, …).</param>
public sealed record RunMetric(string Key, string Header, Func<RunResult, double> Value, string Format)
{
    /// <summary>The metric over seeds: the value for one seed, <c>mean ± std</c> for several.</summary>
    public string Show(MeanStd summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var c = CultureInfo.InvariantCulture;
        string mean = summary.Mean.ToString(Format, c);
        if (summary.Values.Count < 2)
        {
            return mean;
        }

        // A percentage's spread in points, without a second % sign.
        string std = Format.StartsWith('P') ? (summary.Std * 100).ToString("F" + Format[1..], c) : summary.Std.ToString(Format, c);
        return $"{mean} ± {std}";
    }
}
