using System.Diagnostics;
using System.Text;

namespace PhaseRouter.Evaluation.Suites;

/// <summary><c>all</c>: every part into one folder, and an <c>index.md</c> linking each result.</summary>
public static class AllSuite
{
    /// <summary>Every file <c>all</c> promises, relative to the output folder (the test checks each exists and parses).</summary>
    public static readonly string[] PromisedFiles =
    [
        "index.md",
        "test/metrics.json",
        "test/test.md",
        "test/pipeline/phase_router_pipeline.gif",
        "pipeline/pipeline.json",
        "pipeline/phase_router_pipeline.gif",
        "pipeline/01_S.png",
        "pipeline/11_routes.png",
        "sweep/summary.csv",
        "sweep/tables/summary_tables.md",
        "sweep/spec_timing.json",
        "sweep/reproducibility/reproducibility_result.json",
        "sweep/figures/routing_time_vs_N.png",
        "sweep/figures/column_skew_vs_N.png",
        "sweep/figures/fill_ratio_vs_k.png",
        "vs_hash/single_phase/single_phase_results.csv",
        "vs_hash/single_phase/single_phase_results.json",
        "vs_hash/two_phase_adversarial/two_phase_adversarial_results.csv",
        "vs_hash/two_phase_adversarial/two_phase_adversarial_results.json",
        "vs_hash/two_phase_adversarial/two_phase_adversarial_results.md",
        "vs_hash/two_phase_adversarial/phase_router_summary.md",
        "vs_hash/plots/phase1_plus_phase2_routing_time.png",
        "matrix/results/phase_router_test_matrix.csv",
        "matrix/results/phase_router_test_matrix.md",
        "matrix/results/hash_router_comparison.md",
        "matrix/plots/hash_router_comparison.png",
        "capacity/capacity.json",
        "capacity/capacity.md",
    ];

    /// <summary>Runs every part at <paramref name="sizes"/> and writes index.md.</summary>
    /// <param name="context">The run.</param>
    /// <param name="sizes">The sizes.</param>
    public static int Run(RunContext context, SuiteSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sizes);
        var parts = new (string Name, string Link, string What, Func<int> Run)[]
        {
            ("test", "test/test.md", $"one routing, N = {sizes.TestN}, k = {sizes.TestK}: validation and metrics ([metrics.json](test/metrics.json))",
                () => SingleTestSuite.Run(context, sizes.TestN, sizes.TestK)),
            ("pipeline", "pipeline/phase_router_pipeline.gif", $"every pipeline step as a PNG and an animated GIF, N = {sizes.PipelineN}",
                () => PipelineSuite.Run(context, sizes.PipelineN, sizes.PipelineK)),
            ("sweep", "sweep/tables/summary_tables.md",
                $"scaling sweep N ∈ {{{string.Join(", ", sizes.SweepN)}}} × k ∈ {{{string.Join(", ", sizes.SweepK)}}}, {sizes.SweepTrials} trials; SPEC §5 timing; reproducibility",
                () => SweepSuite.Run(context, sizes.SweepN, sizes.SweepK, sizes.SweepTrials)),
            ("vs-hash", "vs_hash/two_phase_adversarial/phase_router_summary.md",
                $"phase vs hash at N = {sizes.VsHashN}, k ∈ {{{string.Join(", ", sizes.VsHashK)}}}, and the adversarial two-phase test",
                () => VsHashSuite.Run(context, sizes.VsHashN, sizes.VsHashK, sizes.TwoPhaseK)),
            ("matrix", "matrix/results/phase_router_test_matrix.md", $"the 10-point test matrix with verdicts, N = {sizes.MatrixN}, k = {sizes.MatrixK}",
                () => MatrixSuite.Run(context, sizes.MatrixN, sizes.MatrixK)),
            ("capacity", "capacity/capacity.md", "MoE capacity planning and measured overflow", () => CapacitySuite.Run(context)),
        };

        var rows = new List<(string Name, string Link, string What, int Code, double Seconds)>();
        foreach (var part in parts)
        {
            long start = Stopwatch.GetTimestamp();
            int code = part.Run();
            rows.Add((part.Name, part.Link, part.What, code, Stopwatch.GetElapsedTime(start).TotalSeconds));
        }

        var sb = new StringBuilder();
        sb.AppendLine("# Phase Router evaluation suite").AppendLine();
        sb.AppendLine($"Mode: {(context.Quick ? "quick (small sizes)" : "full (the original's sizes)")}; seed {context.Seed}; written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.").AppendLine();
        var table = new Reporting.MarkdownTable("Part", "Result", "What", "Status", "Seconds");
        foreach (var r in rows)
        {
            table.Add(r.Name, $"[{r.Link}]({r.Link})", r.What, r.Code == 0 ? "ok" : "FAILED CHECKS", r.Seconds);
        }

        sb.AppendLine(table.ToString());
        sb.Append(context.Machine.ToMarkdown());
        File.WriteAllText(Path.Combine(context.Folder(), "index.md"), sb.ToString());
        context.Say($"all: wrote {Path.Combine(context.OutputDirectory, "index.md")}");
        return rows.All(r => r.Code == 0) ? 0 : 1;
    }
}
