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

    /// <summary>The Markdown report: settings, comparison table (mean ± std over seeds), every run, capacity plan and plots.</summary>
    public static string ToMarkdown(ExperimentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var c = CultureInfo.InvariantCulture;
        var s = summary.Settings;
        var sb = new StringBuilder();
        sb.AppendLine("# Mixture-of-experts training: gate comparison");
        sb.AppendLine();
        if (summary.PlotError is { } plotError)
        {
            sb.AppendLine(c, $"**The plots could not be written: {plotError}** (the run exited with an error).");
            sb.AppendLine();
        }

        sb.AppendLine(c, $"- Data: {summary.DatasetDescription}");
        sb.AppendLine(c, $"- Model: {ModelLine(s)}");
        sb.AppendLine(c, $"- Training: {TrainingLine(s)}");
        sb.AppendLine(c, $"- Gates: {string.Join(", ", s.Gates)}; seeds {string.Join(", ", s.Seeds)}; capacity factor {s.CapacityFactor}, phase policy {s.Policy}, menu size {s.MenuSize}");
        sb.AppendLine(c, $"- Total time: {summary.TotalSeconds:F1} s");
        sb.AppendLine();
        int seeds = summary.Gates.Count == 0 ? 0 : summary.Gates.Max(g => g.Seeds.Count);
        sb.AppendLine(seeds > 1 ? $"Mean ± std over {seeds} seeds (std in points for rates):" : "One seed:");
        sb.AppendLine();
        sb.AppendLine("| gate | policy | " + string.Join(" | ", RunMetrics.All.Select(m => m.Header)) + " | capacity held |");
        sb.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", RunMetrics.All.Count)) + "---|");
        foreach (var g in summary.Gates)
        {
            sb.AppendLine(c,
                $"| {g.Gate} | {g.Policy ?? "-"} | {string.Join(" | ", RunMetrics.All.Select(m => m.Show(g.Metrics[m.Key])))} | {(g.CapacityHeld ? "yes" : "NO")} |");
        }

        sb.AppendLine();
        sb.AppendLine(MetricsNote);
        sb.AppendLine();
        sb.AppendLine("## Every run");
        sb.AppendLine();
        sb.AppendLine("| gate | seed | " + string.Join(" | ", RunMetrics.All.Select(m => m.Header)) + " | max load | capacity |");
        sb.AppendLine("|---|---:|" + string.Concat(Enumerable.Repeat("---:|", RunMetrics.All.Count + 2)));
        foreach (var r in summary.Runs)
        {
            sb.AppendLine(c,
                $"| {r.Gate} | {r.Seed} | {string.Join(" | ", RunMetrics.All.Select(m => m.Value(r).ToString(m.Format, c)))} | {r.MaxLoad} | {r.Capacity} |");
        }

        sb.AppendLine();
        AppendPlan(sb, summary, c);
        sb.AppendLine("## Plots");
        sb.AppendLine();
        sb.AppendLine(c, $"Seed {summary.PlanSeed}.");
        sb.AppendLine();
        sb.AppendLine("![training loss](training-loss.png)");
        sb.AppendLine();
        sb.AppendLine("![expert load](expert-load.png)");
        sb.AppendLine();
        sb.AppendLine("![MaxVio per step](maxvio-batch.png)");
        return sb.ToString();
    }

    /// <summary>What the columns mean (summary.md and the README).</summary>
    public const string MetricsNote =
        "Rates are over the slots (tokens for \"no expert\") of all MoE blocks; \"spilled\" = routed slots whose expert is " +
        "outside the token's top-k; MaxVio = max_e load_e / mean load − 1, \"batch\" averaged over training steps on the " +
        "loads the experts processed, \"demand\" the same on the top-k before capacity, \"global\" on the loads summed " +
        "over the test set; MaxVio figures are means over the MoE blocks; router ms is per training batch summed over the " +
        "blocks; final loss is the mean training loss of the last 50 steps; seconds include the test pass.";

    /// <summary>The model in one line.</summary>
    public static string ModelLine(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = Model.MoeModelFactory.Config(settings);
        return string.Create(CultureInfo.InvariantCulture,
            $"ViT, {config.TokensPerImage} patch tokens of {config.PatchSide}×{config.PatchSide}, d={config.ModelDim}, {config.Depth} pre-norm blocks " +
            $"with {config.Heads}-head self-attention, MoE feed-forward in blocks {string.Join(", ", config.MoeBlocks.Select(b => b + 1))} " +
            $"(E={config.Experts}, k={settings.K}, expert hidden {config.HiddenDim}; the others a dense MLP of hidden {config.HiddenDim}), each MoE block with its own gate");
    }

    /// <summary>The training set-up in one line.</summary>
    public static string TrainingLine(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = Model.MoeModelFactory.Config(settings);
        string perEpoch = settings.TrainPerEpoch is int n ? $"{n} training images per epoch (a different shuffle each epoch)" : "the whole training set per epoch";
        return string.Create(CultureInfo.InvariantCulture,
            $"{settings.Epochs} epoch(s) of {perEpoch}, batch {settings.BatchSize} images ({settings.BatchSize * config.TokensPerImage} tokens per MoE block), " +
            $"Adam lr={settings.LearningRate} with cosine decay, {settings.Threads} thread(s)");
    }

    private static void AppendPlan(StringBuilder sb, ExperimentSummary summary, CultureInfo c)
    {
        var plan = summary.CapacityPlan;
        sb.AppendLine("## Capacity planning");
        sb.AppendLine();
        sb.AppendLine(c,
            $"Source: {plan.Source}. Seed {summary.PlanSeed}; each MoE block's loads at each step are one sample (pooled over the blocks). " +
            $"Slots per step and block: {plan.SlotsPerStep}; E={plan.Experts}.");
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
