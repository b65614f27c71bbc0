using System.Diagnostics;
using System.Text;
using PhaseRouter.Evaluation.Inputs;
using PhaseRouter.Evaluation.Metrics;
using PhaseRouter.Evaluation.Reference;
using PhaseRouter.Evaluation.Reporting;

namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// <c>matrix</c>: the original's 10-point test matrix (its <c>phase_router_test_matrix.py</c>) with a PASS/FAIL verdict
/// per test. The original's script prints figures without verdicts; its documents state what they count as good, and
/// those statements are the criteria here (each Markdown file quotes the one it uses):
/// skew below 3 where k/N ≥ 0.05 (docs/evaluation.md: "skew remains below 3× mean"), seed-averaged skew below 2
/// (test matrix: "Skew is &lt;2"), identical routes for a fixed seed, skew exactly 1 at k = N, diagonal max load 1,
/// and a skew ratio hash / phase above 1. Every test also requires valid routes.
/// </summary>
public static class MatrixSuite
{
    private const double SkewBound = 3.0;
    private const string SkewCriterion = "valid routes and column skew < 3 (k/N ≥ 0.05: \"skew remains below 3× mean\", original's docs/evaluation.md)";

    /// <summary>Runs the ten tests at N and k; no files.</summary>
    /// <param name="n">N (the original: 1024).</param>
    /// <param name="k">k (the original: 64).</param>
    /// <param name="seed">The routing seed.</param>
    /// <param name="step">Called after each test.</param>
    public static IReadOnlyList<MatrixTest> RunAll(int n, int k, int seed, Action<string>? step = null)
    {
        PhaseTiming.WarmUp();
        var tests = new (string Name, Func<MatrixTest> Run)[]
        {
            ("Row-Degree Extremes", () => RowDegreeExtremes(n, seed)),
            ("Column-Target Stress", () => ColumnTargetStress(n, k, seed)),
            ("Seed Reproducibility", () => SeedReproducibility(n, k)),
            ("Monte Carlo Mean Load", () => MonteCarloMeanLoad(n, k, 10)),
            ("Large-Scale Performance", () => Simple("Large-Scale Performance", InputFactory.UniformDegree(n, k, 1), InputFactory.UniformDegree(n, k, 2), k, seed)),
            ("Adversarial Two-Phase", () => AdversarialTwoPhase(n, k, seed)),
            ("Edge-Case k Values", () => EdgeCaseK(n, seed)),
            ("Structured Sparse Patterns", () => StructuredPatterns(n, k, seed)),
            ("Phase Rotation Boundaries", () => PhaseRotationBoundaries(n, k, seed)),
            ("Hash Router Comparison", () => HashComparison(n, k, seed)),
        };
        var results = new List<MatrixTest>();
        foreach ((string name, Func<MatrixTest> run) in tests)
        {
            long start = Stopwatch.GetTimestamp();
            MatrixTest test = run();
            results.Add(test with { TimeMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds });
            step?.Invoke($"{name}: {test.Verdict}");
        }

        return results;
    }

    /// <summary>Runs the subcommand into <c>matrix/</c>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="n">N.</param>
    /// <param name="k">k.</param>
    public static int Run(RunContext context, int n, int k)
    {
        ArgumentNullException.ThrowIfNull(context);
        string results = context.Folder("matrix", "results");
        string plots = context.Folder("matrix", "plots");
        IReadOnlyList<MatrixTest> tests = [];
        context.WithProgress($"matrix N={n} k={k}", 10, step => tests = RunAll(n, k, context.Seed, step));

        var headers = new List<string> { "test", "verdict", "time_ms" };
        headers.AddRange(tests.SelectMany(t => t.Figures.Keys).Distinct());
        var csv = new CsvTable([.. headers]);
        foreach (MatrixTest t in tests)
        {
            csv.Add([t.Name, t.Verdict, t.TimeMs, .. headers.Skip(3).Select(h => t.Figures.TryGetValue(h, out double v) ? (object)v : null)]);
            File.WriteAllText(Path.Combine(results, t.Slug + ".md"), TestMarkdown(t, n, k, context.Machine));
            Charts.LoadHistogram(Path.Combine(plots, t.Slug + ".png"), $"{t.Name} (phase router), N={n}, k={k}", t.Loads);
        }

        csv.Save(Path.Combine(results, "phase_router_test_matrix.csv"));
        File.WriteAllText(Path.Combine(results, "phase_router_test_matrix.md"), Overview(tests, n, k, context.Machine));
        int passed = tests.Count(t => t.Passed);
        context.Say($"matrix: {passed}/{tests.Count} PASS" + string.Concat(tests.Where(t => !t.Passed).Select(t => $"; FAIL {t.Name}")));
        return 0;
    }

    private static MatrixTest Simple(string name, BitMatrix s, BitMatrix t, int k, int seed)
    {
        RoutingResult r = Router.Route(s, t, k, new RouterOptions { Seed = (ulong)seed });
        ColumnStats c = RouteMetrics.Columns(r.TargetLoads);
        bool valid = RouteMetrics.Validate(r).Valid;
        return new MatrixTest(name, Column(c), SkewCriterion, valid && c.Skew < SkewBound, 0, r.TargetLoads.ToArray());
    }

    private static MatrixTest RowDegreeExtremes(int n, int seed)
    {
        // Half the rows of degree 1, half of degree N/2, in S and in T; k = N/2.
        int dense = Math.Max(1, n / 2);
        var rng = new Random(42);
        BitMatrix s = InputFactory.Fill(n, n, i => i < n / 2 ? 1 : dense, rng);
        BitMatrix t = InputFactory.Fill(n, n, i => i < n / 2 ? 1 : dense, rng);
        return Simple("Row-Degree Extremes", s, t, dense, seed);
    }

    private static MatrixTest ColumnTargetStress(int n, int k, int seed)
    {
        // The original sets column 0 of its T to ones. Its router reads T's rows as targets, so every target gains one
        // accepted source (source 0): in our orientation T[j][0] = 1 for every j, which is what its published figures
        // measure and what is judged here. Its prose means "one heavy target"; that reading (target 0 accepts every
        // source) is reported beside it: the operator gives target j a load proportional to t_j, so target 0 takes
        // about Σs/C routes, the exact law's expectation.
        BitMatrix s = InputFactory.UniformDegree(n, k, 1);
        BitMatrix t = InputFactory.UniformDegree(n, k, 2);
        for (int j = 0; j < n; j++)
        {
            t[j, 0] = true;
        }

        MatrixTest test = Simple("Column-Target Stress", s, t, k, seed);

        BitMatrix heavy = InputFactory.UniformDegree(n, k, 2);
        for (int i = 0; i < n; i++)
        {
            heavy[0, i] = true;
        }

        RoutingResult r = Router.Route(s, heavy, k, new RouterOptions { Seed = (ulong)seed });
        double expected = Statistics.RoutingStatistics.ExpectedLoads(s.RowDegrees(), heavy.RowDegrees(), k).ExpectedLoad[0];
        var figures = new Dictionary<string, double>(test.Figures)
        {
            ["heavy_target__load"] = r.TargetLoads[0],
            ["heavy_target__expected_load"] = expected,
            ["heavy_target__col_skew"] = RouteMetrics.Columns(r.TargetLoads).Skew,
        };
        return test with
        {
            Figures = figures,
            Criterion = SkewCriterion + "; the heavy-target reading (target 0 accepts every source) is reported, not judged",
        };
    }

    private static MatrixTest SeedReproducibility(int n, int k)
    {
        BitMatrix s = InputFactory.UniformDegree(n, k, 1);
        BitMatrix t = InputFactory.UniformDegree(n, k, 2);
        var options = new RouterOptions { Seed = 12345 };
        RoutingResult first = Router.Route(s, t, k, options);
        RoutingResult second = Router.Route(s, t, k, options with { MaxDegreeOfParallelism = 1 });
        bool identical = SweepSuite.RoutesSha256(first) == SweepSuite.RoutesSha256(second);
        return new MatrixTest("Seed Reproducibility", new Dictionary<string, double> { ["identical"] = identical ? 1 : 0 },
            "identical routes for the same inputs and seed (here also across thread counts)", identical, 0, first.TargetLoads.ToArray());
    }

    private static MatrixTest MonteCarloMeanLoad(int n, int k, int seeds)
    {
        // New inputs and a new routing seed per sample, loads averaged over samples (the original's test).
        var sums = new double[n];
        bool valid = true;
        for (int m = 0; m < seeds; m++)
        {
            RoutingResult r = Router.Route(InputFactory.UniformDegree(n, k, m), InputFactory.UniformDegree(n, k, m + 100), k,
                new RouterOptions { Seed = (ulong)m });
            valid &= RouteMetrics.Validate(r).Valid;
            ReadOnlySpan<int> loads = r.TargetLoads;
            for (int j = 0; j < n; j++)
            {
                sums[j] += loads[j];
            }
        }

        double[] mean = sums.Select(v => v / seeds).ToArray();
        double average = mean.Average();
        double skew = RouteMetrics.Skew(mean.Max(), average);

        // With k-regular S and T, P(j ∈ Cand_i) = (k/N)², so a source has k²/N candidates on average (below k: no cap).
        double expected = (double)k * k / n;
        bool meanOk = Math.Abs(average - expected) <= 0.05 * expected;
        return new MatrixTest("Monte Carlo Mean Load",
            new Dictionary<string, double> { ["mean_load"] = average, ["skew"] = skew, ["expected_mean_load"] = expected },
            "seed-averaged skew < 2 (\"Skew is <2\", original's docs/phase_router_test_matrix.md) and mean load within 5% of k²/N",
            valid && skew < 2 && meanOk, 0, mean.Select(v => (int)Math.Round(v)).ToArray());
    }

    private static MatrixTest AdversarialTwoPhase(int n, int k, int seed)
    {
        RoutingResult phase1 = Router.Route(InputFactory.UniformDegree(n, k, 1), InputFactory.UniformDegree(n, k, 2), k,
            new RouterOptions { Seed = (ulong)seed });
        BitMatrix s2 = AdversarialInput.Build(phase1, k, 123);
        MatrixTest test = Simple("Adversarial Two-Phase", s2, InputFactory.UniformDegree(n, k, 3), k, seed);
        return test with { Criterion = "phase 2: " + SkewCriterion };
    }

    private static MatrixTest EdgeCaseK(int n, int seed)
    {
        var figures = new Dictionary<string, double>();
        bool valid = true;
        int[] loads = [];
        foreach ((string label, int k) in new[] { ("k=1", 1), ("k=N", n) })
        {
            RoutingResult r = Router.Route(InputFactory.UniformDegree(n, k, 10), InputFactory.UniformDegree(n, k, 11), k,
                new RouterOptions { Seed = (ulong)seed });
            ColumnStats c = RouteMetrics.Columns(r.TargetLoads);
            valid &= RouteMetrics.Validate(r).Valid;
            figures[$"{label}__col_max"] = c.Max;
            figures[$"{label}__col_skew"] = c.Skew;
            loads = r.TargetLoads.ToArray();
        }

        bool full = figures["k=N__col_skew"] == 1.0 && figures["k=N__col_max"] == n;
        return new MatrixTest("Edge-Case k Values", figures,
            "valid routes at k = 1 and k = N, and at k = N every target takes all N sources (skew exactly 1, as the original's document expects)",
            valid && full, 0, loads);
    }

    private static MatrixTest StructuredPatterns(int n, int k, int seed)
    {
        var figures = new Dictionary<string, double>();
        BitMatrix diagonal = InputFactory.Pattern(n, n, (i, j) => i == j);
        RoutingResult d = Router.Route(diagonal, diagonal, k, new RouterOptions { Seed = (ulong)seed });
        ColumnStats dc = RouteMetrics.Columns(d.TargetLoads);
        AddColumn(figures, "diagonal__", dc);

        // The original's checkerboard: even rows have ones in the even columns, odd rows none.
        BitMatrix checkerboard = InputFactory.Pattern(n, n, (i, j) => j % 2 == 0 && (i + j) % 2 == 0);
        RoutingResult c = Router.Route(checkerboard, checkerboard, k, new RouterOptions { Seed = (ulong)seed });
        ColumnStats cc = RouteMetrics.Columns(c.TargetLoads);
        AddColumn(figures, "checkerboard__", cc);
        bool valid = RouteMetrics.Validate(d).Valid && RouteMetrics.Validate(c).Valid;
        return new MatrixTest("Structured Sparse Patterns", figures,
            "valid routes, diagonal max load ≤ 1 (\"max load 1 → correct\") and checkerboard skew < 3",
            valid && dc.Max <= 1 && cc.Skew < SkewBound, 0, c.TargetLoads.ToArray());
    }

    private static MatrixTest PhaseRotationBoundaries(int n, int k, int seed)
    {
        // Every row's ones in the last k columns, so arcs wrap around the ring.
        BitMatrix m = InputFactory.Pattern(n, n, (_, j) => j >= n - k);
        return Simple("Phase Rotation Boundaries", m, m, k, seed);
    }

    private static MatrixTest HashComparison(int n, int k, int seed)
    {
        BitMatrix s = InputFactory.UniformDegree(n, k, 21);
        BitMatrix t = InputFactory.UniformDegree(n, k, 22);
        RoutingResult phase = Router.Route(s, t, k, new RouterOptions { Seed = (ulong)seed });
        RoutingResult hash = Baselines.HashRouter.Route(s, t, k, new RouterOptions { Seed = (ulong)seed });
        double phaseSkew = RouteMetrics.Columns(phase.TargetLoads).Skew;
        double hashSkew = RouteMetrics.Columns(hash.TargetLoads).Skew;
        double ratio = phaseSkew > 0 ? hashSkew / phaseSkew : 0;
        return new MatrixTest("Hash Router Comparison",
            new Dictionary<string, double> { ["phase_skew"] = phaseSkew, ["hash_skew"] = hashSkew, ["skew_ratio"] = ratio },
            "skew ratio hash / phase > 1 (\"Skew ratio >1 confirms improvement\", original's docs/phase_router_test_matrix.md)",
            RouteMetrics.Validate(phase).Valid && RouteMetrics.Validate(hash).Valid && ratio > 1, 0, phase.TargetLoads.ToArray());
    }

    private static Dictionary<string, double> Column(ColumnStats c)
    {
        var figures = new Dictionary<string, double>();
        AddColumn(figures, string.Empty, c);
        return figures;
    }

    private static void AddColumn(Dictionary<string, double> figures, string prefix, ColumnStats c)
    {
        figures[prefix + "col_min"] = c.Min;
        figures[prefix + "col_max"] = c.Max;
        figures[prefix + "col_mean"] = c.Mean;
        figures[prefix + "col_std"] = c.Std;
        figures[prefix + "col_skew"] = c.Skew;
    }

    private static string TestMarkdown(MatrixTest t, int n, int k, MachineInfo machine)
    {
        bool published = n == OriginalFigures.MatrixN && k == OriginalFigures.MatrixK;
        OriginalFigures.Matrix.TryGetValue(t.Name, out IReadOnlyDictionary<string, double>? original);
        var sb = new StringBuilder();
        sb.AppendLine($"# {t.Name}: {t.Verdict}").AppendLine();
        sb.AppendLine($"N = {n}, k = {k}. Criterion: {t.Criterion}.").AppendLine();
        if (!published)
        {
            sb.AppendLine($"The original published this test at N = {OriginalFigures.MatrixN}, k = {OriginalFigures.MatrixK}; " +
                "its figures are shown for reference, not as a like-for-like comparison.").AppendLine();
        }

        var table = new MarkdownTable("Metric", "Ours", "Original", "Ratio");
        foreach ((string key, double value) in t.Figures)
        {
            double? o = original is not null && original.TryGetValue(key, out double ov) ? ov : null;
            table.Add($"`{key}`", value, o, MarkdownTable.Ratio(value, o));
        }

        sb.AppendLine(table.ToString());
        sb.AppendLine($"Time: {t.TimeMs:0.0} ms. Histogram of the phase router's target loads: [../plots/{t.Slug}.png](../plots/{t.Slug}.png).").AppendLine();
        sb.AppendLine($"Original's machine: {OriginalFigures.MatrixMachine}.").AppendLine();
        sb.Append(machine.ToMarkdown());
        return sb.ToString();
    }

    private static string Overview(IReadOnlyList<MatrixTest> tests, int n, int k, MachineInfo machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Phase Router test matrix: N = {n}, k = {k}").AppendLine();
        sb.AppendLine($"{tests.Count(t => t.Passed)} of {tests.Count} PASS. The original's script prints figures without verdicts; " +
            "each criterion below restates what the original's documents call acceptable. Key figure: column skew (max / mean), " +
            "or the test's own figure.").AppendLine();
        var table = new MarkdownTable("Test", "Verdict", "Key figure (ours)", "Original", "Criterion", "Details");
        foreach (MatrixTest t in tests)
        {
            (string key, double value) = KeyFigure(t);
            OriginalFigures.Matrix.TryGetValue(t.Name, out IReadOnlyDictionary<string, double>? original);
            double? o = original is not null && original.TryGetValue(key, out double ov) ? ov : null;
            table.Add(t.Name, t.Verdict, $"{key} = {MarkdownTable.Number(value)}", o, t.Criterion, $"[{t.Slug}.md]({t.Slug}.md)");
        }

        sb.AppendLine(table.ToString());
        sb.AppendLine($"Original's machine: {OriginalFigures.MatrixMachine}.").AppendLine();
        sb.Append(machine.ToMarkdown());
        return sb.ToString();
    }

    private static (string Key, double Value) KeyFigure(MatrixTest t)
    {
        foreach (string key in new[] { "col_skew", "skew", "identical", "k=N__col_skew", "checkerboard__col_skew", "skew_ratio" })
        {
            if (t.Figures.TryGetValue(key, out double v))
            {
                return (key, v);
            }
        }

        KeyValuePair<string, double> first = t.Figures.First();
        return (first.Key, first.Value);
    }
}
