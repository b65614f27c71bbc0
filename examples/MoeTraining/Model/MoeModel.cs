using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>A classifier together with its mixture-of-experts layers (one per MoE block, each with its own gate).</summary>
/// <param name="Classifier">The model trained end to end; owns every layer and gate below.</param>
/// <param name="MoeLayers">The mixture-of-experts layers in block order; each <see cref="MoeLayer.LastPlan"/> holds its last batch's routing.</param>
/// <param name="MoeBlocks">The block index of each entry of <paramref name="MoeLayers"/>.</param>
public sealed record MoeModel(VisionMoeTransformer Classifier, IReadOnlyList<MoeLayer> MoeLayers, IReadOnlyList<int> MoeBlocks) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Classifier.Dispose();
}
