using Microsoft.ML;
using PhaseRouter.Examples.MoeTraining.Data;

namespace PhaseRouter.Examples.MlNetMixture;

/// <summary>Fashion-MNIST as two <see cref="IDataView"/>s: the installed full set when present, else the repository's slice.</summary>
public static class FashionData
{
    /// <summary>Fashion-MNIST's class names by label index.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The slice copied next to the program (1,000 training and 500 test images).</summary>
    public static string SliceDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "fashion-mnist-slice");

    /// <summary>
    /// <paramref name="directory"/> when given, else the installed set (<see cref="FashionMnistFiles.DefaultDirectory"/>)
    /// when all four files are there, else <see cref="SliceDirectory"/>.
    /// </summary>
    public static string Resolve(string? directory) =>
        directory ?? (FashionMnistFiles.IsInstalled(FashionMnistFiles.DefaultDirectory) ? FashionMnistFiles.DefaultDirectory : SliceDirectory);

    /// <summary>Loads both splits from <paramref name="directory"/>, keeping the first images when limits are given.</summary>
    public static (IDataView Train, IDataView Test, string Description) Load(MLContext ml, string directory, int? trainLimit, int? testLimit)
    {
        LoadedData data = FashionMnistFiles.Load(directory, trainLimit, testLimit);
        return (ml.Data.LoadFromEnumerable(Rows(data.Train)), ml.Data.LoadFromEnumerable(Rows(data.Test)), data.Description);
    }

    private static FashionImage[] Rows(ImageDataset images)
    {
        int width = images.PixelsPerImage;
        return Enumerable.Range(0, images.Count).Select(i => new FashionImage
        {
            Class = ClassNames[images.Labels[i]],
            Features = images.Pixels.AsSpan(i * width, width).ToArray(),
        }).ToArray();
    }
}
