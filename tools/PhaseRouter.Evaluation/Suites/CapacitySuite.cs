using System.Text;
using PhaseRouter.Evaluation.Inputs;
using PhaseRouter.Evaluation.Reporting;
using PhaseRouter.Statistics;

namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// <c>capacity</c>: the original's MoE capacity-planning and overflow demo (its <c>examples/moe_routing_demo.py</c>) on
/// this library's statistics: validate the inputs, find the smallest k with global skew ≤ 1.5, plan per-expert capacity
/// at a confidence, analyse k ∈ {4, 8, 16, 32}, and then check the plan on fresh seeds (measured overflow, where the
/// original only states the nominal risk 1 − confidence).
/// </summary>
public static class CapacitySuite
{
    /// <summary>The original's three configurations.</summary>
    public static readonly (int Experts, int Tokens, double Confidence)[] FullConfigs = [(32, 256, 0.95), (128, 1024, 0.99), (256, 4096, 0.99)];

    /// <summary>Quick configurations.</summary>
    public static readonly (int Experts, int Tokens, double Confidence)[] QuickConfigs = [(32, 256, 0.95), (64, 512, 0.99)];

    /// <summary>One configuration's plan.</summary>
    public sealed record Plan(
        int Experts,
        int Tokens,
        double Confidence,
        IReadOnlyList<string> Warnings,
        int? RecommendedK,
        double AchievedSkew,
        IReadOnlyList<KEvaluation> Search,
        int CapacitySamples,
        double MeanExpertLoad,
        double RequiredCapacityLinearMax,
        double HeadroomLinearMean,
        double UtilisationLinearMean,
        int RequiredCapacityObservedMax,
        int UniformCapacity,
        int? AnalyticCapacityMax,
        double NominalOverflowRisk,
        int CheckSamples,
        double MeasuredOverflowPerTarget,
        double MeasuredOverflowUniform,
        IReadOnlyList<KDistribution> Sensitivity);

    /// <summary>Runs the demo into <c>capacity/</c>.</summary>
    /// <param name="context">The run.</param>
    public static int Run(RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string folder = context.Folder("capacity");
        var configs = context.Quick ? QuickConfigs : FullConfigs;
        var plans = new List<Plan>();
        context.WithProgress("capacity", configs.Length, step =>
        {
            foreach ((int experts, int tokens, double confidence) in configs)
            {
                plans.Add(PlanFor(experts, tokens, confidence, context.Seed, context.Quick));
                step($"{experts} experts, {tokens} tokens");
            }
        });

        JsonOutput.Save(Path.Combine(folder, "capacity.json"), plans);
        File.WriteAllText(Path.Combine(folder, "capacity.md"), Markdown(plans, context.Machine));
        foreach (Plan p in plans)
        {
            context.Say($"capacity: E={p.Experts} tokens={p.Tokens}: k={p.RecommendedK?.ToString() ?? "none"}, capacity {p.RequiredCapacityLinearMax:0.#} " +
                $"(p{p.Confidence * 100:0}), measured overflow {p.MeasuredOverflowPerTarget:P2} per expert-call");
        }

        return 0;
    }

    /// <summary>Plans one configuration.</summary>
    /// <param name="experts">Experts.</param>
    /// <param name="tokens">Tokens per batch.</param>
    /// <param name="confidence">The confidence of the capacity.</param>
    /// <param name="seed">The seed of inputs and routing.</param>
    /// <param name="quick">Fewer samples.</param>
    public static Plan PlanFor(int experts, int tokens, double confidence, int seed, bool quick)
    {
        (BitMatrix s, BitMatrix t) = MoeInputs.Build(experts, tokens, seed);
        int[] sd = s.RowDegrees();
        int[] td = t.RowDegrees();
        var warnings = RoutingStatistics.ValidateRoutingInputs(sd, td, 16).Select(w => w.ToString()).ToArray();

        // The original searches k in [4, 32] with 8 samples per k and target skew 1.5.
        KSuggestion suggestion = RoutingStatistics.SuggestK(sd, td, 1.5, samples: 8, kMax: 32, seedBase: (ulong)seed);
        int k = suggestion.K ?? suggestion.Evaluations.MinBy(e => e.GlobalSkew)!.K;
        double achieved = suggestion.Evaluations.First(e => e.K == k).GlobalSkew;

        int samples = quick ? 50 : 100;
        LoadExpectation law = RoutingStatistics.ExpectedLoads(sd, td, k);
        LoadSamples loads = RoutingStatistics.SampleMany(sd, td, k, samples, (ulong)seed);
        CapacityEstimate estimate = RoutingStatistics.EstimateCapacity(loads, confidence, law);

        // The original's summary: mean of the mean loads, max of the (linear) percentile capacities, mean headroom,
        // mean utilisation mean / (required + 1e-9).
        int n = estimate.MeanLoad.Count;
        double meanLoad = estimate.MeanLoad.Average();
        double required = estimate.LinearRequiredCapacity.Max();
        double headroom = Enumerable.Range(0, n).Average(j => estimate.LinearRequiredCapacity[j] - estimate.MeanLoad[j]);
        double utilisation = Enumerable.Range(0, n).Average(j => estimate.MeanLoad[j] / (estimate.LinearRequiredCapacity[j] + 1e-9));

        // The check the original leaves out: route fresh seeds and count loads above the planned capacities.
        int check = quick ? 100 : 400;
        LoadSamples fresh = RoutingStatistics.SampleMany(sd, td, k, check, (ulong)seed + 1_000_000);
        long over = 0;
        int callsOver = 0;
        for (int m = 0; m < check; m++)
        {
            ReadOnlySpan<int> l = fresh.Loads(m);
            bool any = false;
            for (int j = 0; j < l.Length; j++)
            {
                if (l[j] > estimate.LinearRequiredCapacity[j])
                {
                    over++;
                }

                any |= l[j] > estimate.UniformCapacity;
            }

            callsOver += any ? 1 : 0;
        }

        DistributionAnalysis analysis = RoutingStatistics.AnalyzeRoutingDistribution(sd, td, [4, 8, 16, 32], samples: 5, seedBase: (ulong)seed);
        return new Plan(experts, tokens, confidence, warnings, suggestion.K, achieved, suggestion.Evaluations, samples, meanLoad, required,
            headroom, utilisation, estimate.RequiredCapacity.Max(), estimate.UniformCapacity, estimate.AnalyticCapacity?.Max(), 1 - confidence,
            check, (double)over / ((long)check * n), (double)callsOver / check, analysis.PerK);
    }

    private static string Markdown(List<Plan> plans, MachineInfo machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# MoE capacity planning and overflow").AppendLine();
        sb.AppendLine("The original's demo (`examples/moe_routing_demo.py`): block-structured token × expert-vocabulary inputs, k searched " +
            "for global skew ≤ 1.5 (k ≤ 32, 8 seeds per k), capacity at the given confidence, sensitivity over k. The original publishes " +
            "no figures for it (its script prints them). The phase router depends only on the degrees of S and T, so the blocks " +
            "matter through their sizes alone.").AppendLine();
        sb.AppendLine("Capacity figures use the original's definitions (numpy linear percentile per expert; capacity = the largest; " +
            "utilisation = mean over experts of mean / required) beside ours: the observed-load quantile, one uniform capacity " +
            "covering all experts jointly, and the exact load law's quantile. *Measured overflow* routes fresh seeds with the plan: " +
            "the share of (expert, call) pairs above the expert's capacity, and the share of calls where any expert exceeds the " +
            "uniform capacity; the original only states the nominal risk 1 − confidence.").AppendLine();
        var table = new MarkdownTable("experts", "tokens", "confidence", "k", "skew", "mean load", "capacity (original's def.)", "headroom",
            "utilisation", "capacity (observed quantile)", "uniform capacity", "exact-law capacity", "nominal risk", "measured overflow per expert",
            "calls over uniform");
        foreach (Plan p in plans)
        {
            table.Add(p.Experts, p.Tokens, p.Confidence, p.RecommendedK?.ToString() ?? "none ≤ 32", p.AchievedSkew, p.MeanExpertLoad,
                p.RequiredCapacityLinearMax, p.HeadroomLinearMean, p.UtilisationLinearMean, p.RequiredCapacityObservedMax, p.UniformCapacity,
                p.AnalyticCapacityMax, p.NominalOverflowRisk, p.MeasuredOverflowPerTarget, p.MeasuredOverflowUniform);
        }

        sb.AppendLine(table.ToString());
        foreach (Plan p in plans)
        {
            sb.AppendLine($"## {p.Experts} experts, {p.Tokens} tokens").AppendLine();
            sb.AppendLine(p.Warnings.Count == 0 ? "Input warnings: none." : "Input warnings:\n\n" + string.Join('\n', p.Warnings.Select(w => "- " + w))).AppendLine();
            var search = new MarkdownTable("k", "global skew", "mean call skew", "meets 1.5");
            foreach (KEvaluation e in p.Search)
            {
                search.Add(e.K, e.GlobalSkew, e.MeanCallSkew, e.MeetsTarget ? "yes" : "no");
            }

            sb.AppendLine("k search (binary, as the original):").AppendLine().AppendLine(search.ToString());
            var sensitivity = new MarkdownTable("k", "global skew", "expected global skew (exact law)", "route density", "expected density",
                "mean load", "max mean load");
            foreach (KDistribution d in p.Sensitivity)
            {
                double mean = d.ObservedRouteDensity * p.Tokens;
                sensitivity.Add(d.K, d.GlobalSkew, d.ExpectedGlobalSkew, d.ObservedRouteDensity, d.ExpectedRouteDensity, mean, mean * d.GlobalSkew);
            }

            sb.AppendLine("Sensitivity (5 seeds per k, as the original):").AppendLine().AppendLine(sensitivity.ToString());
        }

        sb.Append(machine.ToMarkdown());
        return sb.ToString();
    }
}
