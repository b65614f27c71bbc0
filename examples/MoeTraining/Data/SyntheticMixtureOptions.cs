namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>Parameters of the synthetic mixture task.</summary>
/// <param name="Clusters">Number of clusters; cluster <c>c</c> has weight proportional to <c>1/(c+1)</c> (Zipf), so sizes are unequal.</param>
/// <param name="TrainSamples">Training images.</param>
/// <param name="TestSamples">Test images.</param>
/// <param name="LatentDim">Dimension of the per-image latent vector that decides the label.</param>
/// <param name="LatentScale">How strongly the latent vector shows in the pixels.</param>
/// <param name="Noise">Standard deviation of the pixel noise.</param>
/// <param name="Seed">Seed of the generator: the same seed gives the same data.</param>
public sealed record SyntheticMixtureOptions(
    int Clusters = 8,
    int TrainSamples = 30_000,
    int TestSamples = 5_000,
    int LatentDim = 6,
    float LatentScale = 0.15f,
    float Noise = 0.05f,
    int Seed = 1234);
