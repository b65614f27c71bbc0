using System.Diagnostics;
using System.Text;
using System.Text.Json.Serialization;
using PhaseRouter.Evaluation.Inputs;
using PhaseRouter.Evaluation.Metrics;
using PhaseRouter.Evaluation.Reporting;

namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// <c>test</c>: one routing of the original's random input (default N = 256, k = 32), validated, with the original's
/// column, row, fill and coverage figures in <c>metrics.json</c> and the pipeline pictures beside it.
/// </summary>
public static class SingleTestSuite
{
    /// <summary>The metrics of one routing (the original's names where it has them).</summary>
    public sealed record TestMetrics(
        [property: JsonPropertyName("N")] int N,
        [property: JsonPropertyName("k")] int K,
        [property: JsonPropertyName("seed")] int Seed,
        [property: JsonPropertyName("generation_time_ms")] double GenerationMs,
        [property: JsonPropertyName("routing_time_ms")] double OperatorMs,
        [property: JsonPropertyName("call_time_ms")] double CallMs,
        [property: JsonPropertyName("total_time_ms")] double TotalMs,
        [property: JsonPropertyName("validation")] RouteValidation Validation,
        [property: JsonPropertyName("columns")] ColumnStats Columns,
        [property: JsonPropertyName("rows")] RowStats Rows,
        [property: JsonPropertyName("fill")] FillMetrics Fill);

    /// <summary>Routes one input and measures it (no files).</summary>
    /// <param name="n">N.</param>
    /// <param name="k">k, also the largest input row degree.</param>
    /// <param name="seed">Seed of the inputs and of the routing.</param>
    public static TestMetrics Measure(int n, int k, int seed)
    {
        PhaseTiming.WarmUp();
        long start = Stopwatch.GetTimestamp();
        (BitMatrix s, BitMatrix t) = InputFactory.RandomDegrees(n, k, seed);
        double generationMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        (RoutingResult result, double callMs, double operatorMs) = PhaseTiming.Phase(s, t, k, (ulong)seed);

        // Membership in Cand costs an R × C bit matrix; checked where that is small (N ≤ 8192: 8 MiB).
        BitMatrix? candidates = n <= 8192 ? Router.Candidates(s, t, new RouterOptions { Seed = (ulong)seed }) : null;
        return new TestMetrics(n, k, seed, generationMs, operatorMs, callMs, generationMs + callMs,
            RouteMetrics.Validate(result, candidates), RouteMetrics.Columns(result.TargetLoads), RouteMetrics.Rows(result),
            RouteMetrics.Fill(result, s.CountOnes(), t.CountOnes()));
    }

    /// <summary>Runs the subcommand into <c>test/</c>: metrics.json, test.md and pipeline pictures.</summary>
    /// <param name="context">The run.</param>
    /// <param name="n">N.</param>
    /// <param name="k">k.</param>
    public static int Run(RunContext context, int n, int k)
    {
        ArgumentNullException.ThrowIfNull(context);
        string folder = context.Folder("test");
        TestMetrics? metrics = null;
        context.WithProgress($"test N={n} k={k}", 12, step =>
        {
            metrics = Measure(n, k, context.Seed);
            step("routed and validated");
            JsonOutput.Save(Path.Combine(folder, "metrics.json"), metrics);
            PipelineSuite.Write(context, Path.Combine(folder, "pipeline"), Math.Min(n, 64), Math.Min(k, Math.Min(n, 64)), step);
        });

        File.WriteAllText(Path.Combine(folder, "test.md"), Markdown(metrics!, context.Machine));
        context.Say($"test: valid {metrics!.Validation.Valid}, col skew {metrics.Columns.Skew:0.00}, fill {metrics.Fill.FillRatio:0.0000}, " +
            $"routing {metrics.OperatorMs:0.00} ms");
        return metrics.Validation.Valid ? 0 : 1;
    }

    private static string Markdown(TestMetrics m, MachineInfo machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Single test: N = {m.N}, k = {m.K}").AppendLine();
        sb.AppendLine("Random input as the original's: each row's degree uniform in [1, k] at random positions. The original " +
            "publishes no figures for this run; its scaling table (see `sweep/`) has the neighbouring configurations.").AppendLine();
        var table = new MarkdownTable("Figure", "Value");
        table.Add("valid (≤ k per row, in range, no duplicates, padding, routes ⊆ candidates)", m.Validation.Valid ? "yes" : "NO")
            .Add("active routes / N·k", $"{m.Fill.ActiveRoutes} / {m.Fill.TotalCapacity}")
            .Add("fill ratio", m.Fill.FillRatio)
            .Add("routes per row", m.Fill.RoutesPerRow)
            .Add("coverage S / T", $"{MarkdownTable.Number(m.Fill.CoverageS)} / {MarkdownTable.Number(m.Fill.CoverageT)}")
            .Add("column load min / max / mean", $"{m.Columns.Min} / {m.Columns.Max} / {MarkdownTable.Number(m.Columns.Mean)}")
            .Add("column std (population)", m.Columns.Std)
            .Add("column skew (max / mean)", m.Columns.Skew)
            .Add("row routes min / max / mean", $"{m.Rows.Min} / {m.Rows.Max} / {MarkdownTable.Number(m.Rows.Mean)}")
            .Add("routing ms (operator on degrees)", m.OperatorMs)
            .Add("call ms (matrices, degree counting included)", m.CallMs);
        sb.AppendLine(table.ToString());
        sb.AppendLine("Pipeline pictures: [pipeline/](pipeline/) (animated: [phase_router_pipeline.gif](pipeline/phase_router_pipeline.gif)).").AppendLine();
        sb.Append(machine.ToMarkdown());
        return sb.ToString();
    }
}
