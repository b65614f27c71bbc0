using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>A classifier together with its mixture-of-experts layer and gate.</summary>
/// <param name="Classifier">The model trained end to end.</param>
/// <param name="Moe">Its mixture-of-experts layer; its <see cref="MoeLayer.LastPlan"/> holds the last batch's loads and demand.</param>
/// <param name="Gate">The gate of that layer.</param>
public sealed record MoeModel(PatchMoeClassifier Classifier, MoeLayer Moe, MoeGate Gate) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Classifier.Dispose();
}
