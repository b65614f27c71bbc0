using System.Diagnostics;
using PhaseRouter.Gating;
using PhaseRouter.TorchSharp;
using Spectre.Console;
using static TorchSharp.torch;

namespace PhaseRouter.Benchmarks.Gate;

/// <summary>
/// The `gate` command: per gate, the median routing time of a batch (tokens=8192, E=64, k=2, modelDim=256), the
/// gate's and the MoE layer's forward time (training mode, autograd on, no backward), the routing share of the layer
/// forward, drops and the load peak. Optional argument: the experts' hidden width (default 512).
/// </summary>
public static class GateTable
{
    /// <summary>Gate-only calls timed per gate, after warm-up (the medians of router and gate forward ms).</summary>
    private const int GateCalls = 31;

    public static void Run(int hiddenDim = 512, int repetitions = 8, int routerThreads = -1)
    {
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        AnsiConsole.MarkupLine($"[grey]{Environment.ProcessorCount} cores, torch threads {get_num_threads()}, tokens {GateSetup.Tokens}, E {GateSetup.Experts}, k {GateSetup.K}, modelDim {GateSetup.ModelDim}, hidden {hiddenDim}, cf {GateSetup.Options.CapacityFactor}[/]");
        var table = new Table().Border(TableBorder.Markdown).AddColumns(
            "gate", "router ms", "gate fwd ms", "layer fwd ms", "router share of layer", "dropped slots", "max load / capacity");
        using var x = GateSetup.Tokens0();
        foreach (string kind in GateSetup.Kinds)
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
                }
            }

            double share = layerRouter.Sum() / layerForward.Sum();
            table.AddRow(kind, Median(router).ToString("F2"), Median(gateForward).ToString("F2"), Median(layerForward).ToString("F1"),
                share.ToString("P1"), $"{dropped} ({(double)dropped / (GateSetup.Tokens * GateSetup.K):P1})", $"{maxLoad} / {capacity}");
        }

        AnsiConsole.Write(table);
        PackingCost(x);
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
