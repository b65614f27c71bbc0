using System.Text.Json;
using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Model;
using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.Examples.Tests.Data;
using TorchSharp;

namespace PhaseRouter.Examples.Tests.Training;

/// <summary>Trains a tiny vision transformer for a few dozen steps on the real Fashion-MNIST slice and on the synthetic task.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingIntegrationTests
{
    // One torch thread for these tiny models: a second one gains nothing at this size, and on a busy machine the two
    // wait for each other at every operation (seconds per step instead of milliseconds).
    public TrainingIntegrationTests() => torch.set_num_threads(1);

    // Two blocks, both with a mixture-of-experts feed-forward (each with its own gate), at tiny widths.
    private static ExperimentSettings Tiny(params string[] gates) => new()
    {
        Gates = gates,
        Epochs = 1,
        Experts = 4,
        K = 1,
        CapacityFactor = 1.0,
        MenuSize = 2,
        BatchSize = 64,
        Seed = 5,
        Seeds = [5],
        Threads = 1,
        ModelDim = 16,
        HiddenDim = 32,
        Depth = 2,
        Heads = 2,
        MoeEvery = 1,
        LearningRate = 1e-2,
    };

    private static void AssertLearnsWithinCapacityInEveryBlock(RunResult run, int moeBlocks)
    {
        var steps = run.StepRecords;
        Assert.True(steps.Count >= 30, $"{run.Gate}: only {steps.Count} steps");
        double first = steps.Take(5).Average(s => s.Loss);
        double last = steps.TakeLast(5).Average(s => s.Loss);
        Assert.True(last < first - 0.1, $"{run.Gate}: loss did not decrease ({first:F3} → {last:F3})");
        Assert.All(steps, s =>
        {
            Assert.Equal(moeBlocks, s.Blocks.Count);
            Assert.All(s.Blocks, b =>
            {
                Assert.True(b.Loads.Max() <= b.Capacity, $"{run.Gate} step {s.Step} block {b.Block}: load {b.Loads.Max()} > capacity {b.Capacity}");
                Assert.Equal(b.Slots, b.Demand.Sum());
                if (run.Gate == "expert-choice")
                {
                    // Each expert takes exactly its capacity; a token may get none or several.
                    Assert.All(b.Loads, l => Assert.Equal(b.Capacity, l));
                }
                else
                {
                    Assert.Equal(b.Slots - b.DroppedSlots, b.Loads.Sum());
                }

                if (run.Gate is "softmax" or "hash")
                {
                    // Top-1 with dropping: each expert keeps its demand up to capacity, nothing is placed elsewhere.
                    Assert.Equal(b.Demand.Select(d => Math.Min(d, b.Capacity)), b.Loads);
                    Assert.Equal(0, b.SpilledSlots);
                    Assert.Equal(b.DroppedSlots, b.TokensWithoutExpert);
                }
            });
        });
        Assert.True(run.CapacityHeld);
        Assert.Equal(moeBlocks, run.TestBlocks.Count);
        Assert.All(run.TestBlocks, b => Assert.True(b.MaxLoad <= b.Capacity, $"{run.Gate} block {b.Block}: test load {b.MaxLoad} > {b.Capacity}"));
        Assert.InRange(run.TestAccuracy, 0.0, 1.0);
        Assert.Equal(steps.Average(s => s.MaxVio), run.MaxVioBatch, 12);
    }

    [Fact]
    public void RealFashionMnistSlice_TinyVitLearnsAndCapacityHoldsInEveryMoeBlock()
    {
        // The repository's real slice: 1,000 training images in 40 batches of 25, 500 test images.
        var data = FashionMnistFiles.Load(FashionMnistSlice.Directory);
        var observer = new RecordingObserver();

        var phase = GateTrainer.Run("phase", Tiny("phase") with { BatchSize = 25 }, data, observer);
        var softmax = GateTrainer.Run("softmax", Tiny("softmax") with { BatchSize = 25 }, data, observer);

        AssertLearnsWithinCapacityInEveryBlock(phase, moeBlocks: 2);
        AssertLearnsWithinCapacityInEveryBlock(softmax, moeBlocks: 2);
        Assert.Equal(0, phase.TrainDroppedSlotRate);
        Assert.Equal(0, phase.DroppedSlotRate);
        Assert.Equal(0, phase.TrainNoExpertRate);
        Assert.Equal(0, phase.MaxVioBatch); // spill fills every expert exactly to capacity at factor 1
        Assert.True(phase.TrainSpilledSlotRate > 0, "the spill gate placed no slot outside a token's top-1");
        Assert.Equal("Spill", phase.Policy);
        Assert.Null(softmax.Policy);
        Assert.True(phase.TestAccuracy > 0.3, $"phase test accuracy {phase.TestAccuracy:P1} after 40 steps");
        Assert.Contains(softmax.StepRecords, s => s.Blocks.Any(b => b.Demand.Max() > b.Capacity));
        Assert.Equal(40, observer.Steps["phase"]);
        Assert.Contains("phase", observer.Completed);
    }

    [Fact]
    public void Synthetic_VMoeLayout_EveryGateLearnsWithinCapacityAndPlansCapacity()
    {
        // The default layout at tiny width: 4 blocks, MoE in blocks 2 and 4; every gate of --gate all.
        string[] gates = [.. GateCatalog.All.Select(g => g.Name)];
        var settings = Tiny(gates) with { Depth = 4, MoeEvery = 2 };
        var data = SyntheticMixtureTask.Generate(new SyntheticMixtureOptions(TrainSamples: 64 * 30, TestSamples: 256));

        var summary = ExperimentRunner.Run(settings, data, new RecordingObserver());

        Assert.Equal("synthetic", summary.Dataset);
        Assert.Equal(gates, summary.Runs.Select(r => r.Gate));
        Assert.Equal(["phase", "phase-bias", "softmax", "lossfree", "expert-choice", "balanced", "hash"], gates);
        foreach (var run in summary.Runs)
        {
            AssertLearnsWithinCapacityInEveryBlock(run, moeBlocks: 2);
            Assert.Equal([1, 3], run.StepRecords[0].Blocks.Select(b => b.Block));
        }

        var plan = summary.CapacityPlan;
        Assert.Equal(64 * 16, plan.SlotsPerStep);
        Assert.Equal(gates.Length, plan.Gates.Count);
        Assert.Equal(2, plan.SoftmaxRequirements.Count);
        Assert.True(plan.SoftmaxRequirements[0].CapacityFactor >= plan.SoftmaxRequirements[1].CapacityFactor);
        Assert.NotNull(plan.PhaseHeadroom);
        Assert.True(plan.PhaseHeadroom.MaxLoad <= plan.PhaseHeadroom.Capacity);
        Assert.Equal(plan.SoftmaxRequirements, plan.Gates.Single(g => g.Gate == "softmax").DemandRequirements);
        Assert.Equal(gates, summary.Gates.Select(g => g.Gate));
        var byGate = summary.Runs.ToDictionary(r => r.Gate);
        // Gates that drop nothing at capacity factor 1 with k = 1.
        foreach (var gate in new[] { "phase", "phase-bias", "balanced" })
        {
            Assert.Equal(0, byGate[gate].TrainDroppedSlotRate);
            Assert.Equal(0, byGate[gate].TrainNoExpertRate);
        }

        Assert.Equal(0, byGate["expert-choice"].MaxVioBatch);
        Assert.True(byGate["expert-choice"].TrainNoExpertRate > 0, "expert choice left no token without an expert");
    }

    [Fact]
    public void ForOneSeed_EveryGateStartsFromTheSameWeights()
    {
        var settings = Tiny("phase") with { Depth = 4, MoeEvery = 2 };
        using var phase = MoeModelFactory.Create(GateCatalog.Get("phase"), settings);
        using var softmax = MoeModelFactory.Create(GateCatalog.Get("softmax"), settings);
        using var hash = MoeModelFactory.Create(GateCatalog.Get("hash"), settings);
        using var otherSeed = MoeModelFactory.Create(GateCatalog.Get("phase"), settings with { Seed = 6 });

        var phaseParameters = Parameters(phase);
        var softmaxParameters = Parameters(softmax);
        var hashParameters = Parameters(hash);
        var notGate = phaseParameters.Keys.Where(k => !k.Contains(".gate.", StringComparison.Ordinal)).ToArray();
        Assert.True(notGate.Length > 20, $"only {notGate.Length} parameters outside the gates");
        Assert.Equal(notGate.Order(), hashParameters.Keys.Order()); // the hash gate has no parameters
        foreach (var name in notGate)
        {
            Assert.True(phaseParameters[name].SequenceEqual(softmaxParameters[name]), $"{name} differs between phase and softmax");
            Assert.True(phaseParameters[name].SequenceEqual(hashParameters[name]), $"{name} differs between phase and hash");
        }

        // Same gate projection for the two learned gates (each created after the same seed).
        foreach (var name in phaseParameters.Keys.Except(notGate))
        {
            Assert.True(phaseParameters[name].SequenceEqual(softmaxParameters[name]), $"{name} differs between phase and softmax");
        }

        var other = Parameters(otherSeed);
        Assert.Contains(notGate, name => !phaseParameters[name].SequenceEqual(other[name]));
        Assert.Equal(2, phase.MoeLayers.Count);
        Assert.NotSame(phase.MoeLayers[0].Gate, phase.MoeLayers[1].Gate);
    }

    [Fact]
    public void SeveralSeeds_RunEveryGateWithEachSeed_AsTheSingleSeedRunsDo()
    {
        var settings = Tiny("phase", "hash") with { Seeds = [5, 9], TrainPerEpoch = 64 * 8 };
        var data = SyntheticMixtureTask.Generate(new SyntheticMixtureOptions(TrainSamples: 64 * 12, TestSamples: 128));

        var summary = ExperimentRunner.Run(settings, data, new RecordingObserver());
        var alone = GateTrainer.Run("hash", Tiny("hash") with { Seed = 9, Seeds = [9], TrainPerEpoch = 64 * 8 }, data, new RecordingObserver());

        Assert.Equal([("phase", 5), ("hash", 5), ("phase", 9), ("hash", 9)], summary.Runs.Select(r => (r.Gate, r.Seed)));
        Assert.All(summary.Runs, r => Assert.Equal(8, r.Steps));
        // A run inside the multi-seed experiment is the same run as alone: same weights, data order and routing.
        Assert.Equal(alone.LossCurve, summary.Runs[3].LossCurve);
        Assert.NotEqual(summary.Runs[1].LossCurve, summary.Runs[3].LossCurve);
        var phase = summary.Gates.Single(g => g.Gate == "phase");
        Assert.Equal([5, 9], phase.Seeds);
        var accuracy = phase.Metrics["testAccuracy"];
        Assert.Equal([summary.Runs[0].TestAccuracy, summary.Runs[2].TestAccuracy], accuracy.Values);
        Assert.Equal((summary.Runs[0].TestAccuracy + summary.Runs[2].TestAccuracy) / 2, accuracy.Mean, 12);
        Assert.Equal(5, summary.PlanSeed);
        Assert.Equal(2, summary.CapacityPlan.Gates.Count); // the first seed's runs only
        Assert.Equal("hash seed 9", summary.Runs[3].Label);
    }

    [Theory]
    [InlineData("phase-menu")]
    [InlineData("phase-packed")]
    public void SameSeed_GivesTheSameRun(string gate)
    {
        var data = SyntheticMixtureTask.Generate(new SyntheticMixtureOptions(TrainSamples: 64 * 8, TestSamples: 128));
        var settings = Tiny(gate);

        var a = GateTrainer.Run(gate, settings, data, new RecordingObserver());
        var b = GateTrainer.Run(gate, settings, data, new RecordingObserver());

        Assert.Equal(a.LossCurve, b.LossCurve);
        Assert.Equal(a.TestAccuracy, b.TestAccuracy);
        Assert.Equal(gate["phase-".Length..], a.Policy, ignoreCase: true);
        Assert.True(a.CapacityHeld);
    }

    [Fact]
    public void EndToEnd_WritesSummaryAndPlots()
    {
        using var dir = new TempDirectory();
        using var console = new TestConsole();
        using var error = new StringWriter();
        var settings = Tiny("phase", "softmax", "hash") with
        {
            Dataset = DatasetKind.Synthetic,
            TrainSamples = 64 * 6,
            TestSamples = 128,
            OutputDirectory = dir.Path,
        };

        int code = ExperimentApp.Run(settings, console.Console, error, CancellationToken.None);

        Assert.True(code == 0, error.ToString());
        Assert.Equal(string.Empty, error.ToString());
        foreach (var file in new[] { "summary.json", "summary.md", "training-loss.png", "expert-load.png", "maxvio-batch.png" })
        {
            Assert.True(File.Exists(dir.File(file)), $"{file} missing; output:\n{console.Output}");
        }

        Assert.Empty(Directory.GetFiles(dir.Path, ".write-probe*"));
        var text = console.Output;
        Assert.Contains("Dataset: synthetic", text, StringComparison.Ordinal);
        Assert.Contains("Model: ViT", text, StringComparison.Ordinal);
        Assert.Contains("Gate comparison", text, StringComparison.Ordinal);
        Assert.Contains("[phase] done", text, StringComparison.Ordinal);
        Assert.Contains("Softmax needs capacity factor", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutputDirectoryThatCannotBeWritten_IsRefusedBeforeTraining()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a-file"), "not a directory");
        using var console = new TestConsole();
        using var error = new StringWriter();
        var settings = Tiny("phase") with { Dataset = DatasetKind.Synthetic, OutputDirectory = Path.Combine(dir.File("a-file"), "out") };

        int code = ExperimentApp.Run(settings, console.Console, error, CancellationToken.None);

        Assert.Equal(ExperimentApp.OutputError, code);
        Assert.StartsWith("error: cannot write to the output directory", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal); // a message, not a stack trace
        Assert.DoesNotContain("Dataset:", console.Output, StringComparison.Ordinal);   // refused before loading and training
    }

    [Fact]
    public void APlotThatCannotBeWritten_IsAnErrorAndTheSummarySaysSo()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("training-loss.png")); // the plot's path is taken by a directory
        using var console = new TestConsole();
        using var error = new StringWriter();
        var settings = Tiny("hash") with { Dataset = DatasetKind.Synthetic, TrainSamples = 64 * 2, TestSamples = 64, OutputDirectory = dir.Path };

        int code = ExperimentApp.Run(settings, console.Console, error, CancellationToken.None);

        Assert.Equal(ExperimentApp.OutputError, code);
        Assert.StartsWith("error: cannot write the plots", error.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("summary.json")));
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("plotError").ValueKind);
        Assert.Contains("The plots could not be written", File.ReadAllText(dir.File("summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitFashionMnistWithMissingFiles_ExitsWithDataErrorOnStderr()
    {
        using var dir = new TempDirectory();
        using var console = new TestConsole();
        using var error = new StringWriter();
        var settings = Tiny("phase") with { Dataset = DatasetKind.FashionMnist, DataDirectory = dir.Path, OutputDirectory = dir.File("out") };

        int code = ExperimentApp.Run(settings, console.Console, error, CancellationToken.None);

        Assert.Equal(ExperimentApp.DataError, code);
        Assert.Contains("apt-get install dataset-fashion-mnist", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AGivenDataDirLackingFiles_IsRefusedInsteadOfTrainingOnTheSyntheticTask()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(FashionMnistSlice.Directory, "train-images-idx3-ubyte.gz"), dir.File("train-images-idx3-ubyte.gz"));
        using var console = new TestConsole();
        using var error = new StringWriter();
        var settings = Tiny("phase") with { Dataset = DatasetKind.Auto, DataDirectory = dir.Path, OutputDirectory = dir.File("out") };

        int code = ExperimentApp.Run(settings, console.Console, error, CancellationToken.None);

        Assert.Equal(ExperimentApp.DataError, code);
        Assert.Contains("train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("synthetic", console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("training:", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ADataSetSmallerThanOneBatch_IsATrainingErrorOnStderr()
    {
        using var dir = new TempDirectory();
        using var console = new TestConsole();
        using var error = new StringWriter();
        var settings = Tiny("phase") with { Dataset = DatasetKind.Synthetic, TrainSamples = 10, TestSamples = 10, OutputDirectory = dir.Path };

        int code = ExperimentApp.Run(settings, console.Console, error, CancellationToken.None);

        Assert.Equal(ExperimentApp.TrainingError, code);
        Assert.Contains("fewer than one batch of 64", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_StopsTheRunWithItsExitCode()
    {
        using var dir = new TempDirectory();
        using var console = new TestConsole();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var settings = Tiny("phase") with { Dataset = DatasetKind.Synthetic, TrainSamples = 640, TestSamples = 64, OutputDirectory = dir.Path };

        Assert.Equal(ExperimentApp.Cancelled, ExperimentApp.Run(settings, console.Console, TextWriter.Null, cancel.Token));
        Assert.Contains("cancelled", console.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, float[]> Parameters(MoeModel model) =>
        model.Classifier.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());
}
