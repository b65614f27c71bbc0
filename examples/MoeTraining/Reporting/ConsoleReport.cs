using System.Globalization;
using PhaseRouter.Examples.MoeTraining.Training;
using Spectre.Console;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>Console output: progress (bars or log lines), the comparison table and the capacity plan.</summary>
public static class ConsoleReport
{
    /// <summary>
    /// True when progress bars can be drawn: an interactive terminal, output not redirected, and not under CI.
    /// </summary>
    public static bool CanAnimate(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        return console.Profile.Capabilities.Interactive
               && console.Profile.Capabilities.Ansi
               && !Console.IsOutputRedirected
               && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
    }

    /// <summary>Runs <paramref name="body"/> with progress bars when the console can animate, else with log lines.</summary>
    public static T WithProgress<T>(IAnsiConsole console, Func<ITrainingObserver, T> body)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(body);
        if (!CanAnimate(console))
        {
            var writer = new AnsiConsoleTextWriter(console);
            return body(new LogProgressObserver(writer));
        }

        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(ctx => body(new SpectreProgressObserver(ctx)));
    }

    /// <summary>
    /// The comparison table: one row per gate, every metric of <see cref="RunMetrics.All"/> (the value for one seed,
    /// mean ± std over several), and whether capacity held in every block of every run.
    /// </summary>
    public static Table ComparisonTable(IReadOnlyList<GateAggregate> gates)
    {
        ArgumentNullException.ThrowIfNull(gates);
        int seeds = gates.Count == 0 ? 0 : gates.Max(g => g.Seeds.Count);
        var table = new Table().Title(seeds > 1
            ? $"Gate comparison, mean ± std over {seeds} seeds (rates over all MoE blocks, MaxVio mean over blocks)"
            : "Gate comparison (rates over all MoE blocks, MaxVio mean over blocks)");
        table.AddColumn(new TableColumn("gate").NoWrap());
        table.AddColumn(new TableColumn("policy").NoWrap());
        foreach (var metric in RunMetrics.All)
        {
            table.AddColumn(new TableColumn(Markup.Escape(metric.Header)).RightAligned());
        }

        table.AddColumn(new TableColumn("capacity held").RightAligned());
        foreach (var g in gates)
        {
            table.AddRow(
            [
                Markup.Escape(g.Gate),
                Markup.Escape(g.Policy ?? "-"),
                .. RunMetrics.All.Select(m => Markup.Escape(m.Show(g.Metrics[m.Key]))),
                g.CapacityHeld ? "yes" : "[red]NO[/]",
            ]);
        }

        return table;
    }

    /// <summary>Per-expert p50/p99 training load of each gate.</summary>
    public static Table LoadTable(TrainingCapacityPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Title("Training load per expert per step and MoE block, p50 / p99 (demand = top-k choices before capacity)");
        table.AddColumn(new TableColumn("expert").RightAligned());
        foreach (var g in plan.Gates)
        {
            table.AddColumn(new TableColumn($"{Markup.Escape(g.Gate)} (cap {g.Capacity})").RightAligned());
        }

        var withDemand = plan.Gates.Where(g => g.Demand.Count > 0).ToArray();
        foreach (var g in withDemand)
        {
            table.AddColumn(new TableColumn($"{Markup.Escape(g.Gate)} demand").RightAligned());
        }

        int experts = plan.Gates.Count == 0 ? 0 : plan.Gates.Max(g => g.Loads.Count);
        for (int e = 0; e < experts; e++)
        {
            var cells = new List<string> { e.ToString(c) };
            foreach (var g in plan.Gates)
            {
                cells.Add(e < g.Loads.Count ? string.Create(c, $"{g.Loads[e].P50:F0} / {g.Loads[e].P99:F0}") : "");
            }

            foreach (var g in withDemand)
            {
                cells.Add(e < g.Demand.Count ? string.Create(c, $"{g.Demand[e].P50:F0} / {g.Demand[e].P99:F0}") : "");
            }

            table.AddRow(cells.ToArray());
        }

        return table;
    }

    /// <summary>The sentences of the capacity plan (softmax requirement, phase headroom).</summary>
    public static IReadOnlyList<string> PlanLines(TrainingCapacityPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        foreach (var r in plan.SoftmaxRequirements)
        {
            lines.Add(string.Create(c,
                $"Softmax needs capacity factor {r.CapacityFactor:F3} (capacity {r.Capacity}) for drop rate <= {r.TargetDropRate:P0} over the whole run (gives {r.DropRate:P2})."));
        }

        foreach (var r in plan.SoftmaxSteadyStateRequirements)
        {
            lines.Add(string.Create(c,
                $"Softmax needs capacity factor {r.CapacityFactor:F3} (capacity {r.Capacity}) for drop rate <= {r.TargetDropRate:P0} in the second half of training (gives {r.DropRate:P2})."));
        }

        if (plan.PhaseHeadroom is { } h)
        {
            lines.Add(string.Create(c,
                $"Phase gate at factor {plan.CapacityFactor}: capacity {h.Capacity}, busiest p99 load {h.P99Load:F0}, max {h.MaxLoad}, headroom {h.HeadroomSlots:F0} slots ({h.HeadroomFraction:P1}), utilisation {h.Utilisation:P1}, dropped {h.DroppedSlotRate:P2}."));
            if (h.CapacityFactorSaved is double saved)
            {
                lines.Add(string.Create(c,
                    $"Softmax would need {saved:+0.000;-0.000} more capacity factor than the phase gate to drop nothing."));
            }
        }

        lines.Add($"Planner: {plan.Source}.");
        return lines;
    }

    /// <summary>Writes the comparison table and the capacity plan of the first seed's runs.</summary>
    public static void WriteResults(IAnsiConsole console, ExperimentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summary);
        var plan = summary.CapacityPlan;
        console.Write(ComparisonTable(summary.Gates));
        console.WriteLine();
        console.Write(LoadTable(plan));
        foreach (var line in PlanLines(plan))
        {
            console.WriteLine(line);
        }
    }
}
