using System.Text.Json;
using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.Tests.Reporting;

public sealed class ReportingTests
{
    private static readonly int[] MoeBlocks = [1, 3];

    private static RunResult Run(string gate, double accuracy, int seed)
    {
        var rng = new Random(seed);
        var steps = Enumerable.Range(1, 60).Select(i => new StepRecord(
            i, 1, 2.3 - (i * 0.02), 0.5, 3.0,
            [
                .. MoeBlocks.Select(block => new BlockRouting(
                    block,
                    [.. Enumerable.Range(0, 4).Select(_ => rng.Next(100, 129))],
                    Demand(rng),
                    128, 512, 512, 3, 0, 3, 0.1)),
            ])).ToArray();
        return new RunResult
        {
            Gate = gate,
            Seed = seed,
            Policy = gate == "phase" ? "Spill" : null,
            TestAccuracy = accuracy,
            FinalLoss = 1.1,
            FinalLossWindow = 50,
            MeanLoad = 120,
            MaxLoad = 128,
            Capacity = 128,
            DroppedSlotRate = gate == "softmax" ? 0.1 : 0,
            RouterMsPerBatch = 0.2,
            Seconds = 12.5,
            Steps = steps.Length,
            TestLoadPerExpert = [120, 128, 110, 127],
            LossCurve = steps.Select(s => s.Loss).ToArray(),
            MaxVioCurve = steps.Select(s => s.MaxVio).ToArray(),
            StepRecords = steps,
            CapacityHeld = true,
        };
    }

    // Top-1 demand: every one of the 512 tokens names one expert.
    private static int[] Demand(Random rng)
    {
        var d = Enumerable.Range(0, 3).Select(_ => rng.Next(60, 150)).ToList();
        d.Add(512 - d.Sum());
        return d.ToArray();
    }

    private static ExperimentSummary Summary()
    {
        var runs = new[] { Run("phase", 0.87, 1), Run("softmax", 0.85, 1), Run("hash", 0.8, 1) };
        var settings = new ExperimentSettings { Experts = 4, Gates = ["phase", "softmax", "hash"], Seeds = [1] };
        return new ExperimentSummary
        {
            Dataset = "fashion-mnist",
            DatasetDescription = "test data",
            Settings = settings,
            Runs = runs,
            Gates = GateAggregate.Of(runs),
            CapacityPlan = CapacityPlanBuilder.Build(runs, 4, 1, 1.0),
            PlanSeed = 1,
            TotalSeconds = 40,
        };
    }

    [Fact]
    public void Json_HasTheDocumentedCamelCaseShape()
    {
        using var doc = JsonDocument.Parse(SummaryWriter.ToJson(Summary()));
        var root = doc.RootElement;

        Assert.Equal("fashion-mnist", root.GetProperty("dataset").GetString());
        var run = root.GetProperty("runs")[0];
        Assert.Equal("phase", run.GetProperty("gate").GetString());
        Assert.Equal("Spill", run.GetProperty("policy").GetString());
        foreach (var name in new[] { "testAccuracy", "finalLoss", "meanLoad", "maxLoad", "capacity", "droppedSlotRate", "routerMsPerBatch", "seconds" })
        {
            Assert.Equal(JsonValueKind.Number, run.GetProperty(name).ValueKind);
        }

        Assert.False(run.TryGetProperty("stepRecords", out _));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("runs")[1].GetProperty("policy").ValueKind);
        var plan = root.GetProperty("capacityPlan");
        Assert.Equal(2, plan.GetProperty("softmaxRequirements").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, plan.GetProperty("phaseHeadroom").ValueKind);
        Assert.Equal(4, plan.GetProperty("gates")[0].GetProperty("loads").GetArrayLength());
        Assert.Equal("spill", root.GetProperty("settings").GetProperty("policy").GetString());
        foreach (var name in new[] { "trainSpilledSlotRate", "trainNoExpertRate", "maxVioBatch", "maxVioBatchDemand", "maxVioGlobal", "stepMs", "seed" })
        {
            Assert.Equal(JsonValueKind.Number, run.GetProperty(name).ValueKind);
        }

        var gate = root.GetProperty("gates")[0];
        Assert.Equal("phase", gate.GetProperty("gate").GetString());
        var accuracy = gate.GetProperty("metrics").GetProperty("testAccuracy");
        Assert.Equal(0.87, accuracy.GetProperty("mean").GetDouble(), 9);
        Assert.Equal(0, accuracy.GetProperty("std").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("plotError").ValueKind);
    }

    [Fact]
    public void Aggregates_AreMeanAndSampleStdOverSeeds_AndShowThemAsMeanPlusMinusStd()
    {
        var runs = new[]
        {
            Run("phase", 0.80, 1), Run("softmax", 0.70, 1),
            Run("phase", 0.90, 2), Run("softmax", 0.70, 2),
        };

        var gates = GateAggregate.Of(runs);

        Assert.Equal(["phase", "softmax"], gates.Select(g => g.Gate));
        var phase = gates[0].Metrics["testAccuracy"];
        Assert.Equal(0.85, phase.Mean, 9);
        Assert.Equal(Math.Sqrt(0.005), phase.Std, 9); // sample std of 0.80 and 0.90
        Assert.Equal([1, 2], gates[0].Seeds);
        var accuracy = RunMetrics.All.Single(m => m.Key == "testAccuracy");
        Assert.Equal("85.00 % ± 7.07", accuracy.Show(phase));
        Assert.Equal("70.00 %", accuracy.Show(MeanStd.Of([0.70])));
        var loss = RunMetrics.All.Single(m => m.Key == "finalLoss");
        Assert.Equal("1.0000 ± 0.1414", loss.Show(MeanStd.Of([0.9, 1.1]))); // sample std √0.02
    }

    [Fact]
    public void Markdown_HasTheComparisonTableAndPlan()
    {
        var md = SummaryWriter.ToMarkdown(Summary());

        Assert.Contains("| gate | policy | test acc | final loss | dropped train |", md, StringComparison.Ordinal);
        Assert.Contains("| phase | Spill | 87.00 % |", md, StringComparison.Ordinal);
        Assert.Contains("| softmax | 1 | 85.00 % |", md, StringComparison.Ordinal);
        Assert.Contains("MaxVio batch", md, StringComparison.Ordinal);
        Assert.Contains("![MaxVio per step](maxvio-batch.png)", md, StringComparison.Ordinal);
        Assert.Contains("Softmax routing needs capacity factor", md, StringComparison.Ordinal);
        Assert.Contains("hash demand p50", md, StringComparison.Ordinal);
        Assert.Contains("![training loss](training-loss.png)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CreatesJsonMarkdownAndPngPlots()
    {
        using var dir = new TempDirectory();
        var summary = Summary();

        var files = SummaryWriter.Write(summary, dir.Path).Concat(PlotWriter.Write(summary.Runs, dir.Path)).ToArray();

        Assert.Equal(5, files.Length);
        Assert.Contains(files, f => f.EndsWith("maxvio-batch.png", StringComparison.Ordinal));
        foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
        {
            var head = File.ReadAllBytes(png).Take(8).ToArray();
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head);
            Assert.True(new FileInfo(png).Length > 5_000, $"{png} looks empty");
        }
    }

    [Fact]
    public void WritePackedPlot_WritesAPng_AndRejectsMismatchedShapes()
    {
        using var dir = new TempDirectory();
        var scores = Enumerable.Range(0, 40 * 6).Select(i => (float)Math.Sin(i * 0.7)).ToArray();
        var pack = new PhaseRouter.Gating.AffinityPack();
        pack.Pack(scores, 6, 2, 3);
        string png = Path.Combine(dir.Path, "packed.png");
        PlotWriter.WritePackedPlot(pack.Sources, pack.Targets, png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, File.ReadAllBytes(png).Take(8).ToArray());
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => PlotWriter.WritePackedPlot(pack.Sources, pack.Sources, png)).ParamName);
    }

    [Fact]
    public void ConsoleTables_RenderEveryRunAndExpert()
    {
        using var console = new TestConsole();
        var summary = Summary();

        ConsoleReport.WriteResults(console.Console, summary);

        var text = console.Output;
        Assert.Contains("87.00 %", text, StringComparison.Ordinal);
        Assert.Contains("MaxVio", text, StringComparison.Ordinal);
        Assert.Contains("softmax demand", text, StringComparison.Ordinal);
        Assert.Contains("phase demand", text, StringComparison.Ordinal);
        Assert.Contains("hash demand", text, StringComparison.Ordinal);
        Assert.Contains("second half of training", text, StringComparison.Ordinal);
        Assert.Contains("Phase gate at factor 1", text, StringComparison.Ordinal);
        Assert.Contains("Planner:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LogProgress_PrintsAboutTenLinesPerRun()
    {
        using var writer = new StringWriter();
        var observer = new LogProgressObserver(writer);
        var run = Run("phase", 0.9, 4);

        observer.RunStarted("phase", 1000);
        for (int i = 1; i <= 1000; i++)
        {
            observer.StepCompleted("phase", run.StepRecords[0] with { Step = i }, 1000);
        }

        observer.Evaluating("phase");
        observer.RunCompleted(run with { Label = "phase" });

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 12, 15);
        Assert.StartsWith("[phase] training: 1000 steps", lines[0], StringComparison.Ordinal);
        Assert.Contains("step 1000/1000", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MovingAverage_SmoothsTrailingWindow()
    {
        Assert.Equal([1.0, 1.5, 2.5, 3.5], PlotWriter.MovingAverage([1, 2, 3, 4], 2));
    }

    [Fact]
    public void CanAnimate_IsFalseForANonInteractiveConsole()
    {
        using var console = new TestConsole();
        Assert.False(ConsoleReport.CanAnimate(console.Console));
    }
}
