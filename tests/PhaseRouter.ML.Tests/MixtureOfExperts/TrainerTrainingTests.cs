using Microsoft.ML;
using PhaseRouter.ML.TorchSharp;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.ML.Tests.MixtureOfExperts;

[Collection(TorchCollection.Name)]
public sealed class TrainerTrainingTests
{
    private static float[][] Scores(int seed, MoeGateKind gate = MoeGateKind.PhaseSpill)
    {
        var ml = new MLContext(seed: 0);
        IDataView training = ml.Data.LoadFromEnumerable(Blobs.Rows(200, seed: 11));
        ITransformer model = Blobs.Pipeline(ml, Blobs.Options(gate, seed)).Fit(training);
        return Blobs.Predict(ml, model, ml.Data.LoadFromEnumerable(Blobs.Rows(30, seed: 12))).Select(p => p.Score).ToArray();
    }

    [Theory]
    [InlineData(MoeGateKind.PhaseSpill)]
    [InlineData(MoeGateKind.SoftmaxTopK)]
    public void The_same_seed_gives_the_same_model_and_another_seed_another(MoeGateKind gate)
    {
        float[][] first = Scores(seed: 3, gate);
        float[][] second = Scores(seed: 3, gate);
        float[][] other = Scores(seed: 4, gate);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData(MoeGateKind.PhaseSpill, 2, 1.0)]
    [InlineData(MoeGateKind.SoftmaxTopK, 1, 1.0)]
    [InlineData(MoeGateKind.Hash, 1, 1.25)]
    public void No_expert_exceeds_its_capacity_in_any_training_batch(MoeGateKind gate, int k, double capacityFactor)
    {
        var ml = new MLContext(seed: 0);
        Blob[] rows = Blobs.Rows(200, seed: 13);
        MixtureOfExpertsMulticlassTrainer.Options options = Blobs.Options(gate);
        options.K = k;
        options.CapacityFactor = capacityFactor;
        options.Layers = 2;
        options.MaxEpochs = 3;
        options.ValidationFraction = 0.2;

        ITransformer model = Blobs.Pipeline(ml, options).Fit(ml.Data.LoadFromEnumerable(rows));

        MixtureOfExpertsMulticlassTransformer moe = Blobs.Moe(model);
        Assert.Equal(2, moe.Monitors.Count);
        int epochs = moe.History.Count;
        int trainingBatches = (int)Math.Ceiling(160 / 32.0);
        foreach (GateLoadMonitor monitor in moe.Monitors)
        {
            GateLoadRecord[] training = monitor.Records.Where(r => r.Training).ToArray();
            Assert.Equal(epochs * trainingBatches, training.Length);
            Assert.All(monitor.Records, r =>
            {
                Assert.Equal((int)Math.Ceiling(capacityFactor * r.Tokens * k / 4 - 1e-9), r.Capacity);
                Assert.InRange(r.MaxLoad, 0, r.Capacity);
            });
        }

        Assert.Equal(moe.History.Sum(r => r.Slots), moe.Monitors.Sum(m => m.Records.Where(r => r.Training).Sum(r => (long)r.Tokens * r.K)));
        Assert.Equal(moe.History.Sum(r => r.DroppedSlots), moe.Monitors.Sum(m => m.Records.Where(r => r.Training).Sum(r => (long)r.DroppedSlots)));
    }

    [Fact]
    public void Early_stopping_keeps_the_best_validation_epoch_and_never_runs_past_the_patience()
    {
        var ml = new MLContext(seed: 0);
        MixtureOfExpertsMulticlassTrainer.Options options = Blobs.Options();
        options.MaxEpochs = 40;
        options.EarlyStoppingPatience = 2;
        options.LearningRate = 0.05;

        ITransformer model = Blobs.Pipeline(ml, options).Fit(ml.Data.LoadFromEnumerable(Blobs.Rows(150, seed: 14)));

        IReadOnlyList<EpochRecord> history = Blobs.Moe(model).History;
        int best = history.MinBy(r => r.ValidationLoss!.Value)!.Epoch;
        Assert.True(history.Count == options.MaxEpochs || history.Count == best + options.EarlyStoppingPatience,
            $"{history.Count} epochs, best {best}");
        Assert.All(history, r => Assert.NotNull(r.ValidationAccuracy));
    }
}
