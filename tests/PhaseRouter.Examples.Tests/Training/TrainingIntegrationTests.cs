using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.Examples.MoeTraining.Reporting;
using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.Examples.Tests.Data;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.Tests.Training;

/// <summary>Trains a tiny model for a few dozen steps on the real Fashion-MNIST files and on the synthetic task.</summary>
[Collection(TorchCollection.Name)]
public sealed class TrainingIntegrationTests
{
    private static ExperimentSettings Tiny(params GateKind[] gates) => new()
    {
        Gates = gates,
        Epochs = 1,
        Experts = 4,
        K = 1,
        CapacityFactor = 1.0,
        MenuSize = 2,
        BatchSize = 64,
        Seed = 5,
        Threads = 2,
        ModelDim = 16,
        HiddenDim = 32,
        LearningRate = 1e-2,
    };

    private static void AssertLearnsWithinCapacity(RunResult run)
    {
        var steps = run.StepRecords;
        Assert.True(steps.Count >= 30, $"{run.Gate}: only {steps.Count} steps");
        double first = steps.Take(5).Average(s => s.Loss);
        double last = steps.TakeLast(5).Average(s => s.Loss);
        Assert.True(last < first - 0.1, $"{run.Gate}: loss did not decrease ({first:F3} → {last:F3})");
        Assert.All(steps, s =>
        {
            Assert.True(s.Loads.Max() <= s.Capacity, $"{run.Gate} step {s.Step}: load {s.Loads.Max()} > capacity {s.Capacity}");
            Assert.Equal(s.Slots - s.DroppedSlots, s.Loads.Sum());
            Assert.Equal(s.Slots, s.Demand.Sum());
            if (run.Gate is "softmax" or "hash")
            {
                // Top-1 with dropping: each expert keeps its demand up to capacity, so the demand is what was cut.
                Assert.Equal(s.Demand.Select(d => Math.Min(d, s.Capacity)), s.Loads);
            }
        });
        Assert.True(run.MaxLoad <= run.Capacity, $"{run.Gate}: test load {run.MaxLoad} > capacity {run.Capacity}");
        Assert.InRange(run.TestAccuracy, 0.0, 1.0);
    }

    [Fact]
    public void RealFashionMnistSlice_TinyModelLearnsAndCapacityHolds()
    {
        // The repository's real slice: 1,000 training images in 40 batches of 25, 500 test images.
        var data = FashionMnistFiles.Load(FashionMnistSlice.Directory);
        var observer = new RecordingObserver();

        var phase = GateTrainer.Run(GateKind.Phase, Tiny(GateKind.Phase) with { BatchSize = 25 }, data, observer);
        var softmax = GateTrainer.Run(GateKind.Softmax, Tiny(GateKind.Softmax) with { BatchSize = 25 }, data, observer);

        AssertLearnsWithinCapacity(phase);
        AssertLearnsWithinCapacity(softmax);
        Assert.Equal(0, phase.TrainDroppedSlotRate);
        Assert.Equal(0, phase.DroppedSlotRate);
        Assert.Equal("Spill", phase.Policy);
        Assert.Null(softmax.Policy);
        Assert.True(phase.TestAccuracy > 0.3, $"phase test accuracy {phase.TestAccuracy:P1} after 40 steps");
        Assert.Contains(softmax.StepRecords, s => s.Demand.Max() > s.Capacity);
        Assert.Equal(40, observer.Steps["phase"]);
        Assert.Contains("phase", observer.Completed);
    }

    [Fact]
    public void Synthetic_AllGates_LearnWithinCapacityAndPlanCapacity()
    {
        var settings = Tiny(GateKind.Phase, GateKind.Softmax, GateKind.Hash);
        var data = SyntheticMixtureTask.Generate(new SyntheticMixtureOptions(TrainSamples: 64 * 40, TestSamples: 256));

        var summary = ExperimentRunner.Run(settings, data, new RecordingObserver());

        Assert.Equal("synthetic", summary.Dataset);
        Assert.Equal(["phase", "softmax", "hash"], summary.Runs.Select(r => r.Gate));
        foreach (var run in summary.Runs)
        {
            AssertLearnsWithinCapacity(run);
        }

        var plan = summary.CapacityPlan;
        Assert.Equal(64 * 16, plan.SlotsPerStep);
        Assert.Equal(3, plan.Gates.Count);
        Assert.Equal(2, plan.SoftmaxRequirements.Count);
        Assert.True(plan.SoftmaxRequirements[0].CapacityFactor >= plan.SoftmaxRequirements[1].CapacityFactor);
        Assert.Equal(0, plan.SoftmaxRequirements[0].DropRate);
        Assert.NotNull(plan.PhaseHeadroom);
        Assert.True(plan.PhaseHeadroom.MaxLoad <= plan.PhaseHeadroom.Capacity);
        var hash = plan.Gates.Single(g => g.Gate == "hash");
        Assert.Equal(4, hash.Demand.Count);
        Assert.Equal(2, hash.DemandRequirements.Count);
        Assert.Equal(plan.SoftmaxRequirements, plan.Gates.Single(g => g.Gate == "softmax").DemandRequirements);
    }

    [Theory]
    [InlineData(GatePolicy.Menu)]
    [InlineData(GatePolicy.Packed)]
    public void SameSeed_GivesTheSameRun(GatePolicy policy)
    {
        var data = SyntheticMixtureTask.Generate(new SyntheticMixtureOptions(TrainSamples: 64 * 8, TestSamples: 128));
        var settings = Tiny(GateKind.Phase) with { Policy = policy };

        var a = GateTrainer.Run(GateKind.Phase, settings, data, new RecordingObserver());
        var b = GateTrainer.Run(GateKind.Phase, settings, data, new RecordingObserver());

        Assert.Equal(a.LossCurve, b.LossCurve);
        Assert.Equal(a.TestAccuracy, b.TestAccuracy);
        Assert.Equal(policy.ToString(), a.Policy);
        Assert.All(a.StepRecords, s => Assert.True(s.Loads.Max() <= s.Capacity));
    }

    [Fact]
    public void EndToEnd_WritesSummaryAndPlots()
    {
        using var dir = new TempDirectory();
        using var console = new TestConsole();
        var settings = Tiny(GateKind.Phase, GateKind.Softmax, GateKind.Hash) with
        {
            Dataset = DatasetKind.Synthetic,
            TrainSamples = 64 * 6,
            TestSamples = 128,
            OutputDirectory = dir.Path,
        };

        int code = ExperimentApp.Run(settings, console.Console, CancellationToken.None);

        Assert.Equal(0, code);
        foreach (var file in new[] { "summary.json", "summary.md", "training-loss.png", "expert-load.png" })
        {
            Assert.True(File.Exists(dir.File(file)), $"{file} missing; output:\n{console.Output}");
        }

        var text = console.Output;
        Assert.Contains("Dataset: synthetic", text, StringComparison.Ordinal);
        Assert.Contains("Gate comparison", text, StringComparison.Ordinal);
        Assert.Contains("[phase] done", text, StringComparison.Ordinal);
        Assert.Contains("Softmax needs capacity factor", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplicitFashionMnistWithMissingFiles_ExitsWithDataError()
    {
        using var dir = new TempDirectory();
        using var console = new TestConsole();
        var settings = Tiny(GateKind.Phase) with { Dataset = DatasetKind.FashionMnist, DataDirectory = dir.Path };

        int code = ExperimentApp.Run(settings, console.Console, CancellationToken.None);

        Assert.Equal(ExperimentApp.DataError, code);
        Assert.Contains("apt-get install dataset-fashion-mnist", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_StopsTheRunWithItsExitCode()
    {
        using var console = new TestConsole();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var settings = Tiny(GateKind.Phase) with { Dataset = DatasetKind.Synthetic, TrainSamples = 640, TestSamples = 64 };

        Assert.Equal(ExperimentApp.Cancelled, ExperimentApp.Run(settings, console.Console, cancel.Token));
        Assert.Contains("cancelled", console.Output, StringComparison.Ordinal);
    }
}
