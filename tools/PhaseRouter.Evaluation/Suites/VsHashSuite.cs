using System.Text;
using PhaseRouter.Evaluation.Inputs;
using PhaseRouter.Evaluation.Metrics;
using PhaseRouter.Evaluation.Reference;
using PhaseRouter.Evaluation.Reporting;

namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// <c>vs-hash</c>: the phase router against the hash baseline over k at large N (the original's
/// <c>phase_router_vs_hash.py</c>), and the adversarial two-phase test, where phase 1's routes build phase 2's sources.
/// </summary>
public static class VsHashSuite
{
    /// <summary>The original's k values (single phase and two phase).</summary>
    public static readonly int[] FullK = [16, 64, 256, 1024, 4096, 12800];

    /// <summary>Quick N.</summary>
    public const int QuickN = 2048;

    /// <summary>Quick k values.</summary>
    public static readonly int[] QuickK = [16, 64, 256, 1024];

    /// <summary>One single-phase comparison.</summary>
    public sealed record SingleRow(int K, ColumnStats Phase, FillMetrics PhaseFill, double PhaseMs, ColumnStats Hash,
        FillMetrics HashFill, double HashMs, bool PhaseValid, bool HashValid);

    /// <summary>One two-phase comparison; times are phase 1 + phase 2.</summary>
    public sealed record TwoPhaseRow(int K, ColumnStats PhasePhase1, ColumnStats PhasePhase2, double PhaseMs1, double PhaseMs2,
        ColumnStats HashPhase1, ColumnStats HashPhase2, double HashMs1, double HashMs2);

    /// <summary>Everything the suite measured.</summary>
    public sealed record Results(int N, IReadOnlyList<int> KsSingle, IReadOnlyList<int> KsTwo, IReadOnlyList<SingleRow> SinglePhase,
        IReadOnlyList<TwoPhaseRow> TwoPhaseAdversarial, MachineInfo Machine);

    /// <summary>Runs the suite into <c>vs_hash/</c>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="n">N.</param>
    /// <param name="ksSingle">k values of the single-phase sweep (each ≤ N).</param>
    /// <param name="ksTwo">k values of the two-phase test (each ≤ N).</param>
    public static int Run(RunContext context, int n, IReadOnlyList<int> ksSingle, IReadOnlyList<int> ksTwo)
    {
        ArgumentNullException.ThrowIfNull(context);
        string single = context.Folder("vs_hash", "single_phase");
        string two = context.Folder("vs_hash", "two_phase_adversarial");
        string plots = context.Folder("vs_hash", "plots");
        var singleRows = new List<SingleRow>();
        var twoRows = new List<TwoPhaseRow>();
        context.WithProgress($"vs-hash N={n}", ksSingle.Count + ksTwo.Count, step =>
        {
            PhaseTiming.WarmUp();
            foreach (int k in ksSingle)
            {
                // At the original's sizes one padded route array takes up to 1.6 GB; the previous k's are garbage by
                // now, and collecting them before the next allocations keeps the peak near one k's worth.
                GC.Collect();
                singleRows.Add(RunSingle(n, k, context.Seed, plots));
                step($"single phase k={k}");
            }

            foreach (int k in ksTwo)
            {
                GC.Collect();
                twoRows.Add(RunTwoPhase(n, k, (ulong)context.Seed, plots));
                step($"two phase k={k}");
            }
        });

        var results = new Results(n, ksSingle, ksTwo, singleRows, twoRows, context.Machine);
        WriteSingle(single, singleRows);
        WriteTwo(two, twoRows, context.Machine);
        JsonOutput.Save(Path.Combine(single, "single_phase_results.json"), results with { TwoPhaseAdversarial = [] });
        JsonOutput.Save(Path.Combine(two, "two_phase_adversarial_results.json"), results);
        if (twoRows.Count > 0)
        {
            var ks = twoRows.Select(r => (double)r.K).ToArray();
            Charts.Lines(Path.Combine(plots, "phase1_plus_phase2_routing_time.png"), $"Two-phase routing time vs k (N = {n})", "k",
                "phase 1 + phase 2 time (ms)",
                [
                    new Charts.Series("phase router", ks, twoRows.Select(r => r.PhaseMs1 + r.PhaseMs2).ToArray()),
                    new Charts.Series("hash router", ks, twoRows.Select(r => r.HashMs1 + r.HashMs2).ToArray()),
                ], logX: true, logY: true);
        }

        if (singleRows.Count > 0)
        {
            var ks = singleRows.Select(r => (double)r.K).ToArray();
            Charts.Lines(Path.Combine(plots, "single_phase_routing_time.png"), $"Single-phase routing time vs k (N = {n})", "k", "time (ms)",
                [
                    new Charts.Series("phase router", ks, singleRows.Select(r => r.PhaseMs).ToArray()),
                    new Charts.Series("hash router", ks, singleRows.Select(r => r.HashMs).ToArray()),
                ], logX: true, logY: true);
        }

        File.WriteAllText(Path.Combine(two, "phase_router_summary.md"), Summary(results));
        context.Say($"vs-hash: N={n}; " + string.Join("; ", twoRows.Select(r =>
            $"k={r.K} phase-2 skew phase {r.PhasePhase2.Skew:0.00} vs hash {r.HashPhase2.Skew:0.00}")));
        return singleRows.All(r => r.PhaseValid && r.HashValid) ? 0 : 1;
    }

    private static SingleRow RunSingle(int n, int k, int seed, string plots)
    {
        (BitMatrix s, BitMatrix t) = InputFactory.RandomDegrees(n, k, seed);
        long onesS = s.CountOnes();
        long onesT = t.CountOnes();
        (RoutingResult phase, double phaseMs, _) = PhaseTiming.Phase(s, t, k, (ulong)seed, timeOperator: false);
        ColumnStats phaseStats = RouteMetrics.Columns(phase.TargetLoads);
        FillMetrics phaseFill = RouteMetrics.Fill(phase, onesS, onesT);
        bool phaseValid = RouteMetrics.Validate(phase).Valid;
        Charts.LoadHistogram(Path.Combine(plots, $"phase1_column_load_k{k}__phase_router__N{n}.png"),
            $"Phase router, single phase, N={n}, k={k}", phase.TargetLoads);
        phase = null!;

        (RoutingResult hash, double hashMs) = PhaseTiming.Hash(s, t, k, (ulong)seed);
        Charts.LoadHistogram(Path.Combine(plots, $"phase1_column_load_k{k}__hash_router__N{n}.png"),
            $"Hash router, single phase, N={n}, k={k}", hash.TargetLoads);
        return new SingleRow(k, phaseStats, phaseFill, phaseMs, RouteMetrics.Columns(hash.TargetLoads), RouteMetrics.Fill(hash, onesS, onesT),
            hashMs, phaseValid, RouteMetrics.Validate(hash).Valid);
    }

    /// <summary>The adversarial two-phase test for one k, with the original's seeds (1, 2, 3; buckets 123 and 999).</summary>
    /// <param name="n">N.</param>
    /// <param name="k">k: every row of every input has degree k.</param>
    /// <param name="seed">The routing seed.</param>
    /// <param name="plots">Where the phase-2 load histograms go, or null for none.</param>
    public static TwoPhaseRow RunTwoPhase(int n, int k, ulong seed, string? plots)
    {
        BitMatrix s1 = InputFactory.UniformDegree(n, k, 1);
        BitMatrix t1 = InputFactory.UniformDegree(n, k, 2);
        BitMatrix t2 = InputFactory.UniformDegree(n, k, 3);

        (RoutingResult phase1, double phaseMs1, _) = PhaseTiming.Phase(s1, t1, k, seed, timeOperator: false);
        ColumnStats phaseStats1 = RouteMetrics.Columns(phase1.TargetLoads);
        BitMatrix s2 = AdversarialInput.Build(phase1, k, 123);
        phase1 = null!;
        (RoutingResult phase2, double phaseMs2, _) = PhaseTiming.Phase(s2, t2, k, seed, timeOperator: false);
        ColumnStats phaseStats2 = RouteMetrics.Columns(phase2.TargetLoads);
        int[] phaseLoads = phase2.TargetLoads.ToArray();
        phase2 = null!;

        (RoutingResult hash1, double hashMs1) = PhaseTiming.Hash(s1, t1, k, seed);
        ColumnStats hashStats1 = RouteMetrics.Columns(hash1.TargetLoads);
        BitMatrix s2Hash = AdversarialInput.Build(hash1, k, 999);
        hash1 = null!;
        (RoutingResult hash2, double hashMs2) = PhaseTiming.Hash(s2Hash, t2, k, seed);
        ColumnStats hashStats2 = RouteMetrics.Columns(hash2.TargetLoads);
        if (plots is not null)
        {
            Charts.LoadHistogram(Path.Combine(plots, $"phase2_column_load_k{k}__phase_router__N{n}.png"),
                $"Phase router, adversarial phase 2, N={n}, k={k}", phaseLoads);
            Charts.LoadHistogram(Path.Combine(plots, $"phase2_column_load_k{k}__hash_router__N{n}.png"),
                $"Hash router, adversarial phase 2, N={n}, k={k}", hash2.TargetLoads);
        }

        return new TwoPhaseRow(k, phaseStats1, phaseStats2, phaseMs1, phaseMs2, hashStats1, hashStats2, hashMs1, hashMs2);
    }

    private static void WriteSingle(string folder, List<SingleRow> rows)
    {
        var csv = new CsvTable("k", "phase_col_max", "phase_col_skew", "phase_fill_ratio", "phase_active_routes", "phase_time_ms",
            "hash_col_max", "hash_col_skew", "hash_fill_ratio", "hash_active_routes", "hash_time_ms");
        foreach (SingleRow r in rows)
        {
            csv.Add(r.K, r.Phase.Max, r.Phase.Skew, r.PhaseFill.FillRatio, r.PhaseFill.ActiveRoutes, r.PhaseMs, r.Hash.Max, r.Hash.Skew,
                r.HashFill.FillRatio, r.HashFill.ActiveRoutes, r.HashMs);
        }

        csv.Save(Path.Combine(folder, "single_phase_results.csv"));
    }

    private static void WriteTwo(string folder, List<TwoPhaseRow> rows, MachineInfo machine)
    {
        var csv = new CsvTable("k", "phase2_col_max", "phase2_col_skew", "hash2_col_max", "hash2_col_skew", "phase_time_ms", "hash_time_ms");
        foreach (TwoPhaseRow r in rows)
        {
            csv.Add(r.K, r.PhasePhase2.Max, r.PhasePhase2.Skew, r.HashPhase2.Max, r.HashPhase2.Skew, r.PhaseMs1 + r.PhaseMs2, r.HashMs1 + r.HashMs2);
        }

        csv.Save(Path.Combine(folder, "two_phase_adversarial_results.csv"));
        var sb = new StringBuilder();
        sb.AppendLine("# Adversarial two-phase test: phase router vs hash router").AppendLine();
        sb.AppendLine($"Original figures (\"max load / skew\") from its docs/stress_test.md at N = {OriginalFigures.StressN:N0}.").AppendLine();
        sb.AppendLine(TwoPhaseTable(rows).ToString()).AppendLine();
        sb.Append(machine.ToMarkdown());
        File.WriteAllText(Path.Combine(folder, "two_phase_adversarial_results.md"), sb.ToString());
    }

    private static MarkdownTable TwoPhaseTable(IEnumerable<TwoPhaseRow> rows)
    {
        var table = new MarkdownTable("k", "phase 2 max load", "phase 2 skew", "original", "ratio", "hash 2 max load", "hash 2 skew", "original",
            "ratio", "phase ms (1+2)", "hash ms (1+2)");
        foreach (TwoPhaseRow r in rows)
        {
            TwoPhaseFigure? o = OriginalFigures.TwoPhase.FirstOrDefault(f => f.K == r.K);
            table.Add(r.K, r.PhasePhase2.Max, r.PhasePhase2.Skew, o is null ? null : $"{o.PhaseMaxLoad} / {o.PhaseSkew:0.00}",
                MarkdownTable.Ratio(r.PhasePhase2.Skew, o?.PhaseSkew), r.HashPhase2.Max, r.HashPhase2.Skew,
                o is null ? null : $"{o.HashMaxLoad} / {o.HashSkew:0.00}", MarkdownTable.Ratio(r.HashPhase2.Skew, o?.HashSkew),
                r.PhaseMs1 + r.PhaseMs2, r.HashMs1 + r.HashMs2);
        }

        return table;
    }

    private static string Summary(Results results)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Phase router vs hash router (N = {results.N})").AppendLine();
        sb.AppendLine("The hash baseline is the original's rule: source i takes k of {j : S[i][j] = 1 and T[j][i] = 1} by a keyed hash. " +
            $"\"Original\" columns are from the original's docs/stress_test.md, measured at N = {OriginalFigures.StressN:N0}" +
            (results.N == OriginalFigures.StressN ? " (the same N)." : $"; ours ran at N = {results.N:N0}, so skews are not directly comparable.") +
            " Ratio = ours / original.").AppendLine();
        sb.AppendLine("## Single-phase stress sweep").AppendLine();
        sb.AppendLine("Random inputs (row degrees uniform in [1, k]); both routers on the same S and T.").AppendLine();
        var table = new MarkdownTable("k", "phase ms", "active routes", "routes/row", "phase skew", "original", "ratio", "fill", "original fill",
            "hash ms", "hash skew", "original", "ratio", "hash fill");
        foreach (SingleRow r in results.SinglePhase)
        {
            SinglePhaseFigure? o = OriginalFigures.SinglePhase.FirstOrDefault(f => f.K == r.K);
            table.Add(r.K, r.PhaseMs, r.PhaseFill.ActiveRoutes, r.PhaseFill.RoutesPerRow, r.Phase.Skew, o?.PhaseSkew,
                MarkdownTable.Ratio(r.Phase.Skew, o?.PhaseSkew), r.PhaseFill.FillRatio, o?.FillRatio, r.HashMs, r.Hash.Skew, o?.HashSkew,
                MarkdownTable.Ratio(r.Hash.Skew, o?.HashSkew), r.HashFill.FillRatio);
        }

        sb.AppendLine(table.ToString());
        sb.AppendLine("Load histograms: `../plots/phase1_column_load_k*__{phase,hash}_router__N*.png`; time vs k: " +
            "[single_phase_routing_time.png](../plots/single_phase_routing_time.png).").AppendLine();
        sb.AppendLine("## Two-phase adversarial test").AppendLine();
        sb.AppendLine("Phase 1 routes uniform k-regular inputs; phase 2's S gives every source one of 128 shared column sets chosen by " +
            "the sum of its phase-1 routes (the original's construction), T2 is uniform. Original figures are \"max load / skew\"; ratios compare the skews.").AppendLine();
        sb.AppendLine(TwoPhaseTable(results.TwoPhaseAdversarial).ToString());
        sb.AppendLine("Phase-2 histograms: `../plots/phase2_column_load_k*__{phase,hash}_router__N*.png`; time vs k: " +
            "[phase1_plus_phase2_routing_time.png](../plots/phase1_plus_phase2_routing_time.png).").AppendLine();
        sb.AppendLine($"Original's machine: {OriginalFigures.StressMachine}.").AppendLine();
        sb.Append(results.Machine.ToMarkdown());
        return sb.ToString();
    }
}
