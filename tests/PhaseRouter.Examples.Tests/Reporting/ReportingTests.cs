using System.Text.Json;
using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.Tests.Reporting;

public sealed class ReportingTests
{
    private static RunResult Run(string gate, double accuracy, int seed)
    {
        var rng = new Random(seed);
        var steps = Enumerable.Range(1, 60).Select(i => new StepRecord(
            i, 1, 2.3 - (i * 0.02), 0.5, 3.0, 0.2,
            Enumerable.Range(0, 4).Select(_ => rng.Next(100, 129)).ToArray(),
            Demand(rng),
            128, 3, 512)).ToArray();
        return new RunResult
        {
            Gate = gate,
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
            StepRecords = steps,
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
        var runs = new[] { Run("phase", 0.87, 1), Run("softmax", 0.85, 2), Run("hash", 0.8, 3) };
        var settings = new ExperimentSettings { Experts = 4 };
        return new ExperimentSummary
        {
            Dataset = "fashion-mnist",
            DatasetDescription = "test data",
            Settings = settings,
            Runs = runs,
            CapacityPlan = CapacityPlanBuilder.Build(runs, 4, 1, 1.0),
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
    }

    [Fact]
    public void Markdown_HasTheComparisonTableAndPlan()
    {
        var md = SummaryWriter.ToMarkdown(Summary());

        Assert.Contains("| gate | policy | test accuracy |", md, StringComparison.Ordinal);
        Assert.Contains("| phase | Spill | 87.00 % |", md, StringComparison.Ordinal);
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

        Assert.Equal(4, files.Length);
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

        ConsoleReport.WriteResults(console.Console, summary.Runs, summary.CapacityPlan);

        var text = console.Output;
        Assert.Contains("87.00 %", text, StringComparison.Ordinal);
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
        observer.RunCompleted(run);

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
