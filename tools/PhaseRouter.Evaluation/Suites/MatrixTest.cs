namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// One test of the 10-point matrix: its figures by the original's metric names, the criterion it is judged by (taken
/// from the original's documents), the verdict, and the per-target loads of the routing it shows as a histogram.
/// </summary>
public sealed record MatrixTest(
    string Name,
    IReadOnlyDictionary<string, double> Figures,
    string Criterion,
    bool Passed,
    double TimeMs,
    int[] Loads)
{
    /// <summary>A file-name form of the name, e.g. <c>row_degree_extremes</c>.</summary>
    public string Slug => string.Concat(Name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '_')).Replace("__", "_", StringComparison.Ordinal);

    /// <summary>"PASS" or "FAIL".</summary>
    public string Verdict => Passed ? "PASS" : "FAIL";
}
