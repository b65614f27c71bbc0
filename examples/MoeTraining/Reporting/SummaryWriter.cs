using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>Writes summary.json (System.Text.Json, camelCase) and summary.md.</summary>
public static class SummaryWriter
{
    /// <summary>The JSON options: camelCase names, enums as camelCase strings, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Serialises the summary to JSON.</summary>
    public static string ToJson(ExperimentSummary summary) => JsonSerializer.Serialize(summary, JsonOptions);

    /// <summary>Writes summary.json and summary.md into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(ExperimentSummary summary, string directory)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "summary.json");
        var md = Path.Combine(directory, "summary.md");
        File.WriteAllText(json, ToJson(summary));
        File.WriteAllText(md, ToMarkdown(summary));
        return [json, md];
    }

    /// <summary>The Markdown report: settings, comparison table, capacity plan and plots.</summary>
    public static string ToMarkdown(ExperimentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var c = CultureInfo.InvariantCulture;
        var s = summary.Settings;
        var sb = new StringBuilder();
        sb.AppendLine("# Mixture-of-experts training: gate comparison");
        sb.AppendLine();
        sb.AppendLine(c, $"- Data: {summary.DatasetDescription}");
        sb.AppendLine(c, $"- Model: 16 patch tokens of 7×7, d={s.ModelDim}, expert hidden={s.HiddenDim}, E={s.Experts}, k={s.K}");
        sb.AppendLine(c, $"- Training: {s.Epochs} epoch(s), batch {s.BatchSize} images ({s.BatchSize * 16} tokens), Adam lr={s.LearningRate}, seed {s.Seed}, {s.Threads} thread(s)");
        sb.AppendLine(c, $"- Capacity factor {s.CapacityFactor}, phase policy {s.Policy}, menu size {s.MenuSize}");
        sb.AppendLine(c, $"- Total time: {summary.TotalSeconds:F1} s");
        sb.AppendLine();
        sb.AppendLine("| gate | policy | test accuracy | final loss | mean load | max load | capacity | dropped (test) | dropped (train) | router ms/batch | seconds |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in summary.Runs)
        {
            sb.AppendLine(c,
                $"| {r.Gate} | {r.Policy ?? "-"} | {r.TestAccuracy:P2} | {r.FinalLoss:F4} | {r.MeanLoad:F1} | {r.MaxLoad} | {r.Capacity} | {r.DroppedSlotRate:P2} | {r.TrainDroppedSlotRate:P2} | {r.RouterMsPerBatch:F3} | {r.Seconds:F1} |");
        }

        sb.AppendLine();
        sb.AppendLine("Mean/max load and capacity are per expert over the test batches; final loss is the mean training loss of the last steps.");
        sb.AppendLine();
        AppendPlan(sb, summary.CapacityPlan, c);
        sb.AppendLine("## Plots");
        sb.AppendLine();
        sb.AppendLine("![training loss](training-loss.png)");
        sb.AppendLine();
        sb.AppendLine("![expert load](expert-load.png)");
        return sb.ToString();
    }

    private static void AppendPlan(StringBuilder sb, TrainingCapacityPlan plan, CultureInfo c)
    {
        sb.AppendLine("## Capacity planning");
        sb.AppendLine();
        sb.AppendLine(c, $"Source: {plan.Source}. Slots per step: {plan.SlotsPerStep}; E={plan.Experts}.");
        sb.AppendLine();
        if (plan.Gates.Count > 0)
        {
            var withDemand = plan.Gates.Where(g => g.Demand.Count > 0).ToArray();
            sb.AppendLine("Training load per expert per step (after capacity), and each gate's demand (its top-k choices before capacity; for hash, its hash choices):");
            sb.AppendLine();
            sb.Append("| expert |");
            foreach (var g in plan.Gates)
            {
                sb.Append(c, $" {g.Gate} p50 | {g.Gate} p99 |");
            }

            foreach (var g in withDemand)
            {
                sb.Append(c, $" {g.Gate} demand p50 | {g.Gate} demand p99 |");
            }

            sb.AppendLine();
            sb.Append("|---:|");
            sb.AppendLine(string.Concat(Enumerable.Repeat("---:|---:|", plan.Gates.Count + withDemand.Length)));
            int experts = plan.Gates.Max(g => g.Loads.Count);
            for (int e = 0; e < experts; e++)
            {
                sb.Append(c, $"| {e} |");
                foreach (var g in plan.Gates)
                {
                    var l = e < g.Loads.Count ? g.Loads[e] : null;
                    sb.Append(c, $" {l?.P50:F0} | {l?.P99:F0} |");
                }

                foreach (var g in withDemand)
                {
                    var d = e < g.Demand.Count ? g.Demand[e] : null;
                    sb.Append(c, $" {d?.P50:F0} | {d?.P99:F0} |");
                }

                sb.AppendLine();
            }

            sb.Append("| capacity |");
            foreach (var g in plan.Gates.Concat(withDemand))
            {
                sb.Append(c, $" {g.Capacity} | {g.Capacity} |");
            }

            sb.AppendLine();
            sb.AppendLine();
        }

        foreach (var r in plan.SoftmaxRequirements)
        {
            sb.AppendLine(c,
                $"- Softmax routing needs capacity factor **{r.CapacityFactor:F3}** (capacity {r.Capacity}) for a drop rate ≤ {r.TargetDropRate:P0} (gives {r.DropRate:P2}), from its uncapped demand per expert per step over the whole run.");
        }

        foreach (var r in plan.SoftmaxSteadyStateRequirements)
        {
            sb.AppendLine(c,
                $"- In the second half of training alone it needs **{r.CapacityFactor:F3}** (capacity {r.Capacity}) for a drop rate ≤ {r.TargetDropRate:P0} (gives {r.DropRate:P2}).");
        }

        if (plan.PhaseHeadroom is { } h)
        {
            sb.AppendLine(c,
                $"- Phase gate: capacity {h.Capacity}, busiest expert p99 load {h.P99Load:F0}, max {h.MaxLoad}: headroom {h.HeadroomSlots:F0} slots ({h.HeadroomFraction:P1}), utilisation {h.Utilisation:P1}, dropped {h.DroppedSlotRate:P2} of slots.");
            if (h.CapacityFactorSaved is double saved)
            {
                sb.AppendLine(c,
                    $"- Softmax would need {saved:+0.000;-0.000} capacity factor beyond the {plan.CapacityFactor} the phase gate used to drop nothing.");
            }
        }

        sb.AppendLine();
    }
}
