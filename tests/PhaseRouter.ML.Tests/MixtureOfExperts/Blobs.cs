using Microsoft.ML;
using Microsoft.ML.Data;
using PhaseRouter.ML.TorchSharp;

namespace PhaseRouter.ML.Tests.MixtureOfExperts;

/// <summary>Small synthetic data and a tiny trainer configuration, so that each fit takes well under a second.</summary>
internal static class Blobs
{
    public static readonly string[] Kinds = ["circle", "square", "triangle"];

    /// <summary>Rows around three centres in four dimensions, classes in turn.</summary>
    public static Blob[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        float[][] centres = [[0, 0, 4, 1], [3, 0, 0, 2], [0, 3, 1, 0]];
        return Enumerable.Range(0, count).Select(i =>
        {
            float[] c = centres[i % 3];
            return new Blob
            {
                Kind = Kinds[i % 3],
                A = c[0] + Noise(random),
                B = c[1] + Noise(random),
                C = c[2] + Noise(random),
                D = c[3] + Noise(random),
            };
        }).ToArray();
    }

    /// <summary>A tiny network: 4 experts of width 8, batches of 32, a few epochs.</summary>
    public static MixtureOfExpertsMulticlassTrainer.Options Options(MoeGateKind gate = MoeGateKind.PhaseSpill, int seed = 1) => new()
    {
        Gate = gate,
        Experts = 4,
        K = 1,
        ModelDim = 8,
        HiddenDim = 16,
        BatchSize = 32,
        MaxEpochs = 6,
        LearningRate = 0.01,
        Seed = seed,
    };

    /// <summary>Key mapping, feature concatenation, min-max normalisation, the trainer, and the predicted class name back.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, MixtureOfExpertsMulticlassTrainer.Options options) =>
        ml.Transforms.Conversion.MapValueToKey("Label", nameof(Blob.Kind))
            .Append(ml.Transforms.Concatenate("Features", nameof(Blob.A), nameof(Blob.B), nameof(Blob.C), nameof(Blob.D)))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.MixtureOfExperts(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue(nameof(BlobPrediction.PredictedKind), "PredictedLabel"));

    public static BlobPrediction[] Predict(MLContext ml, ITransformer model, IDataView data) =>
        ml.Data.CreateEnumerable<BlobPrediction>(model.Transform(data), reuseRowObject: false).ToArray();

    /// <summary>The trainer's transformer inside a fitted pipeline.</summary>
    public static MixtureOfExpertsMulticlassTransformer Moe(ITransformer model) =>
        ((IEnumerable<ITransformer>)model).OfType<MixtureOfExpertsMulticlassTransformer>().Single();

    private static float Noise(Random random) => (float)((random.NextDouble() - 0.5) * 1.5);
}
