using Microsoft.ML.Data;

namespace PhaseRouter.Examples.MlNetMixture;

/// <summary>One Fashion-MNIST image as an ML.NET row: its class name and 784 pixels in [0, 1].</summary>
public sealed class FashionImage
{
    /// <summary>Pixels per image (28 × 28).</summary>
    public const int PixelCount = 784;

    /// <summary>The class name, e.g. "Sneaker".</summary>
    public string Class { get; set; } = "";

    /// <summary>The pixels, row after row, scaled to [0, 1].</summary>
    [VectorType(PixelCount)]
    public float[] Features { get; set; } = [];
}
