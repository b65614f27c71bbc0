using System.Security.Cryptography;
using System.Text;
using MathNet.Numerics.Statistics;
using PhaseRouter.Evaluation.Inputs;
using PhaseRouter.Evaluation.Reference;
using PhaseRouter.Evaluation.Reporting;

namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// <c>sweep</c>: the original's scaling sweep over N × k with trials (its <c>phase_router_run.py</c>): summary.csv, one
/// JSON per run and per configuration, Markdown tables beside the original's published ones, three plots, SPEC §5's
/// timing table, and a reproducibility check.
/// </summary>
public static class SweepSuite
{
    /// <summary>The original's N values.</summary>
    public static readonly int[] FullN = [256, 512, 1024, 2048, 4096];

    /// <summary>The original's k values.</summary>
    public static readonly int[] FullK = [8, 16, 64, 256, 512];

    /// <summary>Quick N values.</summary>
    public static readonly int[] QuickN = [256, 512, 1024];

    /// <summary>Quick k values.</summary>
    public static readonly int[] QuickK = [8, 64, 256];

    /// <summary>One trial's figures.</summary>
    public sealed record Trial(int N, int K, int TrialIndex, int Seed, double RoutingMs, double CallMs, double GenerationMs,
        long ActiveRoutes, double FillRatio, double RoutesPerRow, double ColMean, int ColMax, double ColStd, double ColSkew,
        double CoverageS, double CoverageT, bool Valid);

    /// <summary>Mean, population std, min and max of one figure over the trials of a configuration.</summary>
    public sealed record Aggregate(double Mean, double Std, double Min, double Max)
    {
        /// <summary>Aggregates values.</summary>
        /// <param name="values">The values.</param>
        public static Aggregate Of(IEnumerable<double> values)
        {
            double[] v = values.ToArray();
            return new Aggregate(ArrayStatistics.Mean(v), ArrayStatistics.PopulationStandardDeviation(v),
                ArrayStatistics.Minimum(v), ArrayStatistics.Maximum(v));
        }
    }

    /// <summary>
    /// A SPEC §5 timing row: medians over repeats, and the fastest repeat (on a shared machine the least disturbed one).
    /// </summary>
    public sealed record SpecRow(int N, int K, int Repeats, double RoutingMsMedian, double RoutingMsMin, double CallMsMedian,
        double CallMsMin, double ColSkewMean,
        double? OriginalRoutingMs, double? OriginalCallMs, double? OriginalSkew);

    /// <summary>The reproducibility check: the same inputs and seed routed several times.</summary>
    public sealed record Reproducibility(int N, int K, int Runs, int Seed, bool AllIdentical, string RoutesSha256);

    /// <summary>Runs the sweep into <c>sweep/</c>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="nValues">N values.</param>
    /// <param name="kValues">k values (configurations with k &gt; N are skipped, as the original does).</param>
    /// <param name="trials">Trials per configuration.</param>
    public static int Run(RunContext context, IReadOnlyList<int> nValues, IReadOnlyList<int> kValues, int trials)
    {
        ArgumentNullException.ThrowIfNull(context);
        string folder = context.Folder("sweep");
        string runs = context.Folder("sweep", "runs");
        string figures = context.Folder("sweep", "figures");
        var configs = (from n in nValues from k in kValues where k <= n select (N: n, K: k)).ToArray();
        SpecTiming[] specRows = OriginalFigures.Spec.Where(f => !context.Quick || f.N <= 2048).ToArray();
        var results = new List<Trial>();
        var spec = new List<SpecRow>();
        Reproducibility? repro = null;

        context.WithProgress("sweep", configs.Length * trials + specRows.Length + 1, step =>
        {
            PhaseTiming.WarmUp();
            foreach ((int n, int k) in configs)
            {
                for (int trial = 0; trial < trials; trial++)
                {
                    int seed = context.Seed + 1000 * trial + 7 * n + k;
                    Trial t = RunTrial(n, k, trial, seed);
                    results.Add(t);
                    JsonOutput.Save(Path.Combine(runs, $"N{n}_k{k}_trial{trial}.json"), t);
                    step($"N={n} k={k} trial {trial + 1}/{trials}");
                }

                JsonOutput.Save(Path.Combine(folder, $"aggregate_N{n}_k{k}.json"), AggregateOf(results.Where(r => r.N == n && r.K == k).ToArray()));
            }

            foreach (SpecTiming row in specRows)
            {
                spec.Add(RunSpec(row, context.Quick ? 3 : 7, context.Seed));
                step($"SPEC §5 N={row.N} k={row.K}");
            }

            repro = RunReproducibility(context.Quick ? 256 : 1024, context.Quick ? 16 : 64, 5, context.Seed);
            step("reproducibility");
        });

        WriteCsv(Path.Combine(folder, "summary.csv"), results);
        JsonOutput.Save(Path.Combine(folder, "spec_timing.json"), spec);
        JsonOutput.Save(Path.Combine(context.Folder("sweep", "reproducibility"), "reproducibility_result.json"), repro);
        WritePlots(figures, results);
        File.WriteAllText(Path.Combine(context.Folder("sweep", "tables"), "summary_tables.md"), Markdown(results, spec, repro!, context.Machine));
        context.Say($"sweep: {results.Count} runs, all valid: {results.All(r => r.Valid)}, reproducible: {repro!.AllIdentical}");
        return results.All(r => r.Valid) && repro.AllIdentical ? 0 : 1;
    }

    private static Trial RunTrial(int n, int k, int trial, int seed)
    {
        SingleTestSuite.TestMetrics m = SingleTestSuite.Measure(n, k, seed);
        return new Trial(n, k, trial, seed, m.OperatorMs, m.CallMs, m.GenerationMs, m.Fill.ActiveRoutes, m.Fill.FillRatio,
            m.Fill.RoutesPerRow, m.Columns.Mean, m.Columns.Max, m.Columns.Std, m.Columns.Skew, m.Fill.CoverageS, m.Fill.CoverageT,
            m.Validation.Valid);
    }

    private static Dictionary<string, object> AggregateOf(Trial[] trials) => new()
    {
        ["N"] = trials[0].N,
        ["k"] = trials[0].K,
        ["num_trials"] = trials.Length,
        ["routing_time_ms"] = Aggregate.Of(trials.Select(t => t.RoutingMs)),
        ["call_time_ms"] = Aggregate.Of(trials.Select(t => t.CallMs)),
        ["fill_ratio"] = Aggregate.Of(trials.Select(t => t.FillRatio)),
        ["col_skew"] = Aggregate.Of(trials.Select(t => t.ColSkew)),
        ["col_std"] = Aggregate.Of(trials.Select(t => t.ColStd)),
        ["active_routes"] = Aggregate.Of(trials.Select(t => (double)t.ActiveRoutes)),
    };

    private static SpecRow RunSpec(SpecTiming original, int repeats, int seed)
    {
        (BitMatrix s, BitMatrix t) = InputFactory.RandomDegrees(original.N, original.K, seed);
        var routing = new double[repeats];
        var call = new double[repeats];
        var skews = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            (RoutingResult result, double callMs, double operatorMs) = PhaseTiming.Phase(s, t, original.K, (ulong)(seed + r));
            routing[r] = operatorMs;
            call[r] = callMs;
            skews[r] = Metrics.RouteMetrics.Columns(result.TargetLoads).Skew;
        }

        return new SpecRow(original.N, original.K, repeats, ArrayStatistics.MedianInplace(routing), ArrayStatistics.Minimum(routing),
            ArrayStatistics.MedianInplace(call), ArrayStatistics.Minimum(call), ArrayStatistics.Mean(skews), original.RoutingMs, original.WholeCallMs, original.ColumnSkew);
    }

    /// <summary>Routes the same input with the same seed <paramref name="runs"/> times and compares the routes.</summary>
    /// <param name="n">N.</param>
    /// <param name="k">k.</param>
    /// <param name="runs">Runs.</param>
    /// <param name="seed">Seed.</param>
    public static Reproducibility RunReproducibility(int n, int k, int runs, int seed)
    {
        (BitMatrix s, BitMatrix t) = InputFactory.RandomDegrees(n, k, seed);
        string? first = null;
        bool identical = true;
        for (int r = 0; r < runs; r++)
        {
            RoutingResult result = Router.Route(s, t, k, new RouterOptions { Seed = (ulong)seed });
            string hash = RoutesSha256(result);
            first ??= hash;
            identical &= hash == first;
        }

        return new Reproducibility(n, k, runs, seed, identical, first!);
    }

    /// <summary>SHA-256 of the padded routes, row by row, as little-endian int32.</summary>
    /// <param name="result">The routing.</param>
    public static string RoutesSha256(RoutingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[result.K * sizeof(int)];
        for (int i = 0; i < result.Sources; i++)
        {
            ReadOnlySpan<int> row = result.RoutesOf(i);
            for (int c = 0; c < row.Length; c++)
            {
                BitConverter.TryWriteBytes(buffer.AsSpan(c * sizeof(int)), row[c]);
            }

            sha.AppendData(buffer, 0, row.Length * sizeof(int));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void WriteCsv(string path, List<Trial> results)
    {
        var csv = new CsvTable("N", "k", "trial", "seed", "routing_time_ms", "call_time_ms", "generation_time_ms", "active_routes",
            "fill_ratio", "routes_per_row", "col_mean", "col_max", "col_std", "col_skew", "coverage_S", "coverage_T", "valid");
        foreach (Trial t in results)
        {
            csv.Add(t.N, t.K, t.TrialIndex, t.Seed, t.RoutingMs, t.CallMs, t.GenerationMs, t.ActiveRoutes, t.FillRatio, t.RoutesPerRow,
                t.ColMean, t.ColMax, t.ColStd, t.ColSkew, t.CoverageS, t.CoverageT, t.Valid);
        }

        csv.Save(path);
    }

    private static void WritePlots(string folder, List<Trial> results)
    {
        var groups = results.GroupBy(r => (r.N, r.K)).OrderBy(g => g.Key.N).ThenBy(g => g.Key.K).ToArray();
        Charts.Series Line(string label, IEnumerable<IGrouping<(int N, int K), Trial>> g, Func<(int N, int K), double> x,
            Func<Trial, double> y)
        {
            var list = g.ToArray();
            return new Charts.Series(label, list.Select(q => x(q.Key)).ToArray(), list.Select(q => q.Average(y)).ToArray(),
                list.Select(q => ArrayStatistics.PopulationStandardDeviation(q.Select(y).ToArray())).ToArray());
        }

        int[] ks = results.Select(r => r.K).Distinct().Order().ToArray();
        int[] ns = results.Select(r => r.N).Distinct().Order().ToArray();
        var time = ks.Select(k => Line($"k={k}", groups.Where(g => g.Key.K == k), key => key.N, t => t.RoutingMs)).ToList();
        Charts.Lines(Path.Combine(folder, "routing_time_vs_N.png"), "Routing time vs N (operator, mean ± std over trials)", "N",
            "routing time (ms)", time);

        var skew = ks.Select((k, index) => Line($"k={k}", groups.Where(g => g.Key.K == k), key => key.N, t => t.ColSkew) with { ColorIndex = index })
            .ToList();
        foreach ((int k, int index) in ks.Select((k, index) => (k, index)))
        {
            var published = OriginalFigures.Scaling.Where(f => f.K == k && ns.Contains(f.N)).OrderBy(f => f.N).ToArray();
            if (published.Length > 0)
            {
                skew.Add(new Charts.Series($"original k={k}", published.Select(f => (double)f.N).ToArray(),
                    published.Select(f => f.ColumnSkew).ToArray(), Reference: true, ColorIndex: index));
            }
        }

        Charts.Lines(Path.Combine(folder, "column_skew_vs_N.png"), "Column skew (max/mean) vs N: ours solid, original dashed", "N",
            "column skew", skew, logY: true, horizontalLine: 2.0);

        var fill = ns.Select(n => Line($"N={n}", groups.Where(g => g.Key.N == n), key => key.K, t => t.FillRatio)).ToList();
        Charts.Lines(Path.Combine(folder, "fill_ratio_vs_k.png"), "Fill ratio vs k (mean ± std over trials)", "k", "fill ratio", fill);
    }

    private static string Markdown(List<Trial> results, List<SpecRow> spec, Reproducibility repro, MachineInfo machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Phase Router – scaling sweep, ours beside the original's").AppendLine();
        sb.AppendLine("Inputs as the original's: square N, each row's degree uniform in [1, k] at random positions, cap k; " +
            "mean ± population std over trials. \"Original\" columns are the means published in the original's " +
            "docs/evaluation.md; ratio = ours / original.").AppendLine();
        var groups = results.GroupBy(r => (r.N, r.K)).OrderBy(g => g.Key.N).ThenBy(g => g.Key.K).ToArray();

        sb.AppendLine("## Table 1 – routing time").AppendLine();
        sb.AppendLine("Ours: the operator on degree vectors (`RouteDegrees`), and the whole call on bit matrices (`Route`, degree " +
            "counting included). Original: its Python-timed `pack_and_route` (packing included).").AppendLine();
        var perf = new MarkdownTable("N", "k", "ours routing ms", "ours call ms", "original ms", "ratio (call)");
        foreach (var g in groups)
        {
            ScalingFigure? o = OriginalFigures.ScalingFor(g.Key.N, g.Key.K);
            double call = g.Average(t => t.CallMs);
            perf.Add(g.Key.N, g.Key.K, MeanStd(g.Select(t => t.RoutingMs)), MeanStd(g.Select(t => t.CallMs)), o?.RoutingMs,
                MarkdownTable.Ratio(call, o?.RoutingMs));
        }

        sb.AppendLine(perf.ToString());
        sb.AppendLine("## Table 2 – load balance (column skew = max / mean column load)").AppendLine();
        var balance = new MarkdownTable("N", "k", "column mean", "column max", "column std", "ours skew", "original skew", "ratio");
        foreach (var g in groups)
        {
            ScalingFigure? o = OriginalFigures.ScalingFor(g.Key.N, g.Key.K);
            double skew = g.Average(t => t.ColSkew);
            balance.Add(g.Key.N, g.Key.K, g.Average(t => t.ColMean), g.Average(t => (double)t.ColMax), MeanStd(g.Select(t => t.ColStd)),
                MeanStd(g.Select(t => t.ColSkew)), o?.ColumnSkew, MarkdownTable.Ratio(skew, o?.ColumnSkew));
        }

        sb.AppendLine(balance.ToString());
        sb.AppendLine("## Table 3 – routing efficiency (fill = active routes / (N·k); coverage = active routes / ones of S or T)").AppendLine();
        var efficiency = new MarkdownTable("N", "k", "ours fill", "original fill", "ratio", "coverage S", "coverage T", "ours active routes",
            "original active routes");
        foreach (var g in groups)
        {
            ScalingFigure? o = OriginalFigures.ScalingFor(g.Key.N, g.Key.K);
            double fill = g.Average(t => t.FillRatio);
            efficiency.Add(g.Key.N, g.Key.K, MeanStd(g.Select(t => t.FillRatio)), o?.FillRatio, MarkdownTable.Ratio(fill, o?.FillRatio),
                g.Average(t => t.CoverageS), g.Average(t => t.CoverageT), g.Average(t => (double)t.ActiveRoutes), o?.ActiveRoutes);
        }

        sb.AppendLine(efficiency.ToString());
        sb.AppendLine($"Original's machine: {OriginalFigures.ScalingMachine}.").AppendLine();

        sb.AppendLine("## Table 4 – SPEC §5 timing (median and fastest of the repeats, same input, different seeds)").AppendLine();
        sb.AppendLine("Wall-clock times on a shared machine vary with its other load (see the machine below); the fastest repeat is " +
            "the least disturbed. The benchmarks (`bench/PhaseRouter.Benchmarks`) are the place for careful timing.").AppendLine();
        var timing = new MarkdownTable("N", "k", "ours routing ms (median / min)", "original routing ms", "ratio (min)",
            "ours call ms (median / min)", "original whole call ms", "ratio (min)", "ours skew", "original skew");
        foreach (SpecRow r in spec)
        {
            timing.Add(r.N, r.K, $"{MarkdownTable.Number(r.RoutingMsMedian)} / {MarkdownTable.Number(r.RoutingMsMin)}", r.OriginalRoutingMs,
                MarkdownTable.Ratio(r.RoutingMsMin, r.OriginalRoutingMs), $"{MarkdownTable.Number(r.CallMsMedian)} / {MarkdownTable.Number(r.CallMsMin)}",
                r.OriginalCallMs, MarkdownTable.Ratio(r.CallMsMin, r.OriginalCallMs), r.ColSkewMean, r.OriginalSkew);
        }

        sb.AppendLine(timing.ToString());
        sb.AppendLine($"Original's machine: {OriginalFigures.SpecMachine}.").AppendLine();
        sb.AppendLine("## Reproducibility").AppendLine();
        sb.AppendLine($"N = {repro.N}, k = {repro.K}, {repro.Runs} runs with seed {repro.Seed}: " +
            $"{(repro.AllIdentical ? "all identical (PASS)" : "routes differ (FAIL)")}; SHA-256 of the routes `{repro.RoutesSha256}`.").AppendLine();
        sb.AppendLine("Figures: [routing time vs N](../figures/routing_time_vs_N.png), [column skew vs N](../figures/column_skew_vs_N.png), " +
            "[fill ratio vs k](../figures/fill_ratio_vs_k.png).").AppendLine();
        sb.Append(machine.ToMarkdown());
        return sb.ToString();
    }

    private static string MeanStd(IEnumerable<double> values)
    {
        Aggregate a = Aggregate.Of(values);
        return MarkdownTable.MeanStd(a.Mean, a.Std);
    }
}
