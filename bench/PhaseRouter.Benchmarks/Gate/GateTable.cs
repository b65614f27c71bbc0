using System.Diagnostics;
using PhaseRouter.Gating;
using PhaseRouter.TorchSharp;
using Spectre.Console;
using static TorchSharp.torch;

namespace PhaseRouter.Benchmarks.Gate;

/// <summary>
/// The `gate` command: per gate, the median routing time of a batch (tokens=8192, E=64, k=2, modelDim=256), the
/// gate's and the MoE layer's forward time (training mode, autograd on, no backward), the routing share of the layer
/// forward, drops and the load peak, and how the gate's assignment scores against the exact optimum of the same batch:
/// the total logit of its routed slots over that of <see cref="GateRouting.Balanced"/> on the same logits (the gate's
/// own, unbiased), and the logit it loses per slot. Then the balanced assignment's Core time beside spill's on the same
/// logits at the example's shape (2048 tokens, E=8, k=1) and at the table's (cf 1.0). Optional argument: the experts'
/// hidden width (default 512).
/// </summary>
public static class GateTable
{
    /// <summary>Gate-only calls timed per gate, after warm-up (the medians of router and gate forward ms).</summary>
    private const int GateCalls = 31;

    public static void Run(int hiddenDim = 512, int repetitions = 8, int routerThreads = -1, IReadOnlyList<string>? kinds = null)
    {
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        AnsiConsole.MarkupLine($"[grey]{Environment.ProcessorCount} cores, torch threads {get_num_threads()}, tokens {GateSetup.Tokens}, E {GateSetup.Experts}, k {GateSetup.K}, modelDim {GateSetup.ModelDim}, hidden {hiddenDim}, cf {GateSetup.Options.CapacityFactor}[/]");
        var table = new Table().Border(TableBorder.Markdown).AddColumns(
            "gate", "router ms", "gate fwd ms", "layer fwd ms", "router share of layer", "dropped slots", "max load / capacity",
            "total logit / optimum", "logit lost per slot");
        using var x = GateSetup.Tokens0();
        foreach (string kind in kinds ?? GateSetup.Kinds)
        {
            using var layer = new MoeLayer(GateSetup.Create(kind), GateSetup.ModelDim, hiddenDim, GateSetup.Experts);
            if (layer.Gate is PhaseRouterGate phase)
            {
                phase.MaxDegreeOfParallelism = routerThreads;
            }

            layer.train();
            var router = new List<double>();
            var gateForward = new List<double>();
            var layerForward = new List<double>();
            var layerRouter = new List<double>();
            int dropped = 0;
            int maxLoad = 0;
            int capacity = 0;
            int[] routes = [];
            int width = GateSetup.K;
            // Warm-up: the routing code runs once per batch, so it needs many batches before tiered compilation has
            // optimised it (30 calls, then a background recompile); the gate alone is cheap enough for that.
            var warmUp = Stopwatch.StartNew();
            for (int i = 0; i < 60 || warmUp.Elapsed.TotalSeconds < 1; i++)
            {
                using var scope = NewDisposeScope();
                using var plan = layer.Gate.call(x);
            }

            for (int i = 0; i < GateCalls; i++)
            {
                using var scope = NewDisposeScope();
                long start = Stopwatch.GetTimestamp();
                using var plan = layer.Gate.call(x);
                gateForward.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                router.Add(plan.RouterMilliseconds);
            }

            for (int i = 0; i < repetitions + 1; i++)
            {
                using var scope = NewDisposeScope();
                long start = Stopwatch.GetTimestamp();
                var y = layer.call(x);
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var plan = layer.LastPlan!;
                if (i >= 1)
                {
                    layerForward.Add(ms);
                    layerRouter.Add(plan.RouterMilliseconds);
                    dropped = plan.DroppedSlots;
                    maxLoad = plan.MaxLoad;
                    capacity = plan.Capacity;
                    routes = plan.GetRoutes();
                    width = plan.K;
                }
            }

            double share = layerRouter.Sum() / layerForward.Sum();
            (string ratio, string lost) = AgainstOptimum(layer.Gate, x, routes, width, capacity);
            string drops = width == GateSetup.K
                ? $"{dropped} ({(double)dropped / (GateSetup.Tokens * GateSetup.K):P1})"
                : $"{layer.LastPlan!.TokensWithoutExpert} tokens without expert";
            table.AddRow(kind, Median(router).ToString("F2"), Median(gateForward).ToString("F2"), Median(layerForward).ToString("F1"),
                share.ToString("P1"), drops, $"{maxLoad} / {capacity}", ratio, lost);
        }

        AnsiConsole.Write(table);
        PackingCost(x);
        BalancedCost(x, tokens: 2048, experts: 8, k: 1, capacityFactor: 1.0);
        BalancedCost(x, tokens: GateSetup.Tokens, experts: GateSetup.Experts, k: GateSetup.K, capacityFactor: 1.0);
    }

    /// <summary>
    /// The total logit of a plan's routed slots (on the gate's own logits for <paramref name="x"/>) over the optimum of
    /// the balanced assignment under the same capacity, and the logit lost per slot of the optimum; "–" for the hash
    /// gate (no logits) and for expert choice (its E-wide plan routes a different number of slots).
    /// </summary>
    private static (string Ratio, string Lost) AgainstOptimum(MoeGate gate, Tensor x, int[] routes, int width, int capacity)
    {
        if (GateSetup.ProjectionOf(gate) is not { } projection || width != GateSetup.K)
        {
            return ("–", "–");
        }

        float[] logits;
        using (var scope = NewDisposeScope())
        {
            logits = projection.call(x).detach().data<float>().ToArray();
        }

        var workspace = new GateWorkspace();
        GateRouting.Balanced(logits, GateSetup.Experts, GateSetup.K, capacity, workspace);
        double optimum = GateRouting.RoutedScore(logits, workspace);
        double total = 0;
        for (int slot = 0; slot < routes.Length; slot++)
        {
            total += routes[slot] < 0 ? 0 : logits[slot / width * GateSetup.Experts + routes[slot]];
        }

        return ((total / optimum).ToString("F4"), ((optimum - total) / workspace.RoutedSlots).ToString("F4"));
    }

    /// <summary>
    /// Core's <see cref="GateRouting.Balanced"/> against <see cref="GateRouting.Spill"/> on the same logits (a fresh
    /// phase gate's projection of the first <paramref name="tokens"/> tokens): medians of <see cref="GateCalls"/> calls after warm-up.
    /// </summary>
    private static void BalancedCost(Tensor x, int tokens, int experts, int k, double capacityFactor)
    {
        var options = new MoeGateOptions { Experts = experts, K = k, CapacityFactor = capacityFactor };
        manual_seed(7); // the same gate weights whichever gates the table ran before
        using var gate = new PhaseRouterGate(GateSetup.ModelDim, options);
        float[] logits;
        using (var scope = NewDisposeScope())
        {
            logits = gate.Projection.call(x.narrow(0, 0, tokens)).detach().data<float>().ToArray();
        }

        int capacity = options.CapacityFor(tokens);
        var workspace = new GateWorkspace();
        var balanced = new List<double>();
        var spill = new List<double>();
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 10 || warmUp.Elapsed.TotalSeconds < 1; i++)
        {
            GateRouting.Balanced(logits, experts, k, capacity, workspace);
            GateRouting.Spill(logits, experts, k, capacity, 1, workspace);
        }

        for (int i = 0; i < GateCalls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            GateRouting.Balanced(logits, experts, k, capacity, workspace);
            balanced.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            GateRouting.Spill(logits, experts, k, capacity, 1, workspace);
            spill.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        double spillScore = GateRouting.RoutedScore(logits, workspace);
        GateRouting.Balanced(logits, experts, k, capacity, workspace);
        double optimum = GateRouting.RoutedScore(logits, workspace);
        AnsiConsole.MarkupLine($"balanced assignment (Core) at {tokens} tokens, E {experts}, k {k}, cf {capacityFactor}: median {Median(balanced):F2} ms " +
            $"(min {balanced.Min():F2}); spill on the same logits {Median(spill):F2} ms ({Median(balanced) / Median(spill):F1}×); spill's total logit / optimum {spillScore / optimum:F4}");
    }

    /// <summary>
    /// The packed policy's packing alone (S and T from the logits, into reused buffers): median of
    /// <see cref="GateCalls"/> calls after warm-up, at the table's shape, against the ≤ 1 ms router budget.
    /// </summary>
    private static void PackingCost(Tensor x)
    {
        var options = GateSetup.PackedOptions;
        using var gate = new PhaseRouterGate(GateSetup.ModelDim, options);
        float[] logits;
        using (var scope = NewDisposeScope())
        {
            logits = gate.Projection.call(x).detach().data<float>().ToArray();
        }

        int m = options.EffectivePackedMenuSize;
        int a = options.EffectiveAcceptanceDepth;
        var pack = new AffinityPack();
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 60 || warmUp.Elapsed.TotalSeconds < 1; i++)
        {
            pack.Pack(logits, GateSetup.Experts, m, a);
        }

        var times = new List<double>();
        for (int i = 0; i < GateCalls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            pack.Pack(logits, GateSetup.Experts, m, a);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        AnsiConsole.MarkupLine($"packing S ({GateSetup.Tokens}×{GateSetup.Experts}, m {m}) and T ({GateSetup.Experts}×{GateSetup.Tokens}, a {a}): " +
            $"median {Median(times):F3} ms (min {times.Min():F3}) of the ≤ 1 ms router budget; T degrees {pack.TargetDegrees.ToArray().Min()}..{pack.TargetDegrees.ToArray().Max()}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
