using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using PhaseRouter.ML.TorchSharp;

namespace PhaseRouter.Examples.MlNetMixture;

/// <summary>Fits each trainer on the same training view inside the same pipeline and evaluates it on the test view.</summary>
public static class Comparison
{
    /// <summary>The trainers compared, in table order.</summary>
    public static IReadOnlyList<(string Name, Func<MLContext, IEstimator<ITransformer>> Trainer)> Contenders(ComparisonSettings settings) =>
    [
        ("SdcaMaximumEntropy", ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
        ("LightGbm", ml => ml.MulticlassClassification.Trainers.LightGbm()),
        ("Dense network (1 expert)", ml => ml.MulticlassClassification.Trainers.MixtureOfExperts(Network(settings, MoeGateKind.PhaseSpill, experts: 1))),
        ($"MoE, phase gate (E = {settings.Experts})", ml => ml.MulticlassClassification.Trainers.MixtureOfExperts(Network(settings, MoeGateKind.PhaseSpill, settings.Experts))),
        ($"MoE, softmax gate (E = {settings.Experts})", ml => ml.MulticlassClassification.Trainers.MixtureOfExperts(Network(settings, MoeGateKind.SoftmaxTopK, settings.Experts))),
    ];

    /// <summary>Fits and evaluates one trainer; <paramref name="log"/> receives progress lines.</summary>
    public static ContenderResult Run(MLContext ml, string name, IEstimator<ITransformer> trainer, IDataView train, IDataView test)
    {
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(FashionImage.Class)).Append(trainer);
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        double trainingSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        double scoringSeconds = clock.Elapsed.TotalSeconds;
        var moe = ((IEnumerable<ITransformer>)model).OfType<MixtureOfExpertsMulticlassTransformer>().SingleOrDefault();
        double? dropped = moe is null ? null : (double)moe.History.Sum(r => r.DroppedSlots) / Math.Max(1, moe.History.Sum(r => r.Slots));
        var result = new ContenderResult(name, metrics.MacroAccuracy, metrics.MicroAccuracy, metrics.LogLoss, trainingSeconds, scoringSeconds,
            dropped, moe?.History.Count);
        moe?.Dispose();
        return result;
    }

    private static MixtureOfExpertsMulticlassTrainer.Options Network(ComparisonSettings settings, MoeGateKind gate, int experts) => new()
    {
        Gate = gate,
        Experts = experts,
        K = Math.Min(settings.K, experts),
        CapacityFactor = settings.CapacityFactor,
        ModelDim = 64,
        HiddenDim = 128,
        BatchSize = 64,
        MaxEpochs = settings.Epochs,
        LearningRate = 2e-3,
        ValidationFraction = 0.1,
        EarlyStoppingPatience = 3,
        Seed = settings.Seed,
    };
}
