using Microsoft.ML;
using Microsoft.ML.Data;
using PhaseRouter.ML.TorchSharp;

namespace PhaseRouter.ML.Tests.MixtureOfExperts;

[Collection(TorchCollection.Name)]
public sealed class TrainerPipelineTests
{
    [Theory]
    [InlineData(MoeGateKind.PhaseSpill)]
    [InlineData(MoeGateKind.SoftmaxTopK)]
    public void Pipeline_fits_evaluates_and_round_trips_through_the_model_file_with_identical_scores(MoeGateKind gate)
    {
        var ml = new MLContext(seed: 0);
        IDataView training = ml.Data.LoadFromEnumerable(Blobs.Rows(300, seed: 1));
        IDataView test = ml.Data.LoadFromEnumerable(Blobs.Rows(90, seed: 2));
        ITransformer model = Blobs.Pipeline(ml, Blobs.Options(gate)).Fit(training);

        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.True(metrics.MacroAccuracy > 0.9, $"macro accuracy {metrics.MacroAccuracy:P1}");
        Assert.True(metrics.LogLoss < 0.5, $"log-loss {metrics.LogLoss:F3}");
        BlobPrediction[] before = Blobs.Predict(ml, model, test);
        Assert.All(before, p => Assert.Equal(1f, p.Score.Sum(), 4));
        Assert.All(before, p => Assert.Equal(Blobs.Kinds[Array.IndexOf(p.Score, p.Score.Max())], p.PredictedKind));

        using var file = new MemoryStream();
        ml.Model.Save(model, training.Schema, file);
        file.Position = 0;
        var loading = new MLContext(seed: 5);
        loading.ComponentCatalog.RegisterMixtureOfExperts();
        ITransformer loaded = loading.Model.Load(file, out _);
        BlobPrediction[] after = Blobs.Predict(loading, loaded, loading.Data.LoadFromEnumerable(Blobs.Rows(90, seed: 2)));

        Assert.Equal(before.Select(p => p.Score), after.Select(p => p.Score));
        Assert.Equal(before.Select(p => p.PredictedKind), after.Select(p => p.PredictedKind));
        MixtureOfExpertsMulticlassTransformer restored = Blobs.Moe(loaded);
        Assert.Equal(gate, restored.Options.Gate);
        Assert.Equal(Blobs.Kinds, restored.ClassNames);
        Assert.Empty(restored.History);
    }

    [Fact]
    public void PredictionEngine_gives_the_scores_and_label_of_the_batch_transform()
    {
        var ml = new MLContext(seed: 0);
        IDataView training = ml.Data.LoadFromEnumerable(Blobs.Rows(240, seed: 3));
        Blob[] rows = Blobs.Rows(30, seed: 4);
        ITransformer model = Blobs.Pipeline(ml, Blobs.Options()).Fit(training);
        BlobPrediction[] batch = Blobs.Predict(ml, model, ml.Data.LoadFromEnumerable(rows));

        using var engine = ml.Model.CreatePredictionEngine<Blob, BlobPrediction>(model);
        for (int i = 0; i < rows.Length; i++)
        {
            BlobPrediction single = engine.Predict(rows[i]);
            Assert.Equal(batch[i].PredictedKind, single.PredictedKind);
            Assert.Equal(batch[i].PredictedLabel, single.PredictedLabel);
            Assert.Equal(batch[i].Score, single.Score);
        }
    }

    [Fact]
    public void Cross_validation_and_preview_work_as_with_ml_net_trainers()
    {
        var ml = new MLContext(seed: 0);
        IDataView data = ml.Data.LoadFromEnumerable(Blobs.Rows(240, seed: 5));
        MixtureOfExpertsMulticlassTrainer.Options options = Blobs.Options();

        var folds = ml.MulticlassClassification.CrossValidate(data, Blobs.Pipeline(ml, options), numberOfFolds: 2);

        Assert.Equal(2, folds.Count);
        Assert.All(folds, f => Assert.True(f.Metrics.MicroAccuracy > 0.8, $"fold accuracy {f.Metrics.MicroAccuracy:P1}"));
        var preview = folds[0].Model.Transform(data).Preview(maxRows: 3);
        Assert.Equal(3, preview.RowView.Length);
        Assert.Contains(preview.Schema, c => c.Name == "Score");
    }

    [Fact]
    public void Training_reports_each_epoch_through_the_context_log_and_keeps_its_history()
    {
        var ml = new MLContext(seed: 0);
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };
        IDataView data = ml.Data.LoadFromEnumerable(Blobs.Rows(120, seed: 6));
        MixtureOfExpertsMulticlassTrainer.Options options = Blobs.Options();
        options.MaxEpochs = 2;
        options.ValidationFraction = 0;

        ITransformer model = Blobs.Pipeline(ml, options).Fit(data);

        MixtureOfExpertsMulticlassTransformer moe = Blobs.Moe(model);
        Assert.Equal([1, 2], moe.History.Select(r => r.Epoch));
        Assert.All(moe.History, r => Assert.Null(r.ValidationLoss));
        Assert.Contains(messages, m => m.Contains("MixtureOfExperts epoch 1/2", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("MixtureOfExperts epoch 2/2", StringComparison.Ordinal));
    }

    [Fact]
    public void One_expert_is_a_dense_network_that_learns_too()
    {
        var ml = new MLContext(seed: 0);
        IDataView training = ml.Data.LoadFromEnumerable(Blobs.Rows(300, seed: 7));
        MixtureOfExpertsMulticlassTrainer.Options options = Blobs.Options();
        options.Experts = 1;

        ITransformer model = Blobs.Pipeline(ml, options).Fit(training);

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(Blobs.Rows(90, seed: 8))));
        Assert.True(metrics.MacroAccuracy > 0.9, $"macro accuracy {metrics.MacroAccuracy:P1}");
        // A row alone meets capacity ⌈1.25 · 1 · 1 / 1⌉ = 2 at inference.
        Assert.Equal(2, Blobs.Moe(model).InferenceCapacity);
    }
}
