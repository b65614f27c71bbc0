namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>
/// Finds and loads the four Fashion-MNIST IDX files (<c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>), gzip-compressed (<c>.gz</c>) or not.
/// </summary>
public static class FashionMnistFiles
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string InstalledDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// The environment variable that, when set to a non-empty path, replaces <see cref="InstalledDirectory"/> as the
    /// default data directory (for a copy of the files elsewhere, or an empty folder to test the fallback).
    /// </summary>
    public const string DirectoryVariable = "PHASEROUTER_FASHION_MNIST_DIR";

    /// <summary>
    /// The directory read when no <c>--data-dir</c> is given: <see cref="DirectoryVariable"/> when set, else
    /// <see cref="InstalledDirectory"/>.
    /// </summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : InstalledDirectory;

    /// <summary>The command that installs the data set.</summary>
    public const string InstallHint = "sudo apt-get install dataset-fashion-mnist";

    /// <summary>The base names of the four files, in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<string> BaseNames { get; } =
    [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ];

    /// <summary>The path of one file in <paramref name="directory"/>: the <c>.gz</c> one if present, else the plain one, else null.</summary>
    public static string? Find(string directory, string baseName)
    {
        var gz = Path.Combine(directory, baseName + ".gz");
        if (File.Exists(gz))
        {
            return gz;
        }

        var plain = Path.Combine(directory, baseName);
        return File.Exists(plain) ? plain : null;
    }

    /// <summary>The files missing from <paramref name="directory"/> (empty when all four are there).</summary>
    public static IReadOnlyList<string> Missing(string directory) =>
        BaseNames.Where(b => Find(directory, b) is null).ToArray();

    /// <summary>True when all four files are in <paramref name="directory"/>.</summary>
    public static bool IsInstalled(string directory) => Missing(directory).Count == 0;

    /// <summary>
    /// Loads both splits, keeping the first <paramref name="trainLimit"/> / <paramref name="testLimit"/> images when given.
    /// Throws <see cref="FileNotFoundException"/> naming the missing files, and <see cref="IdxFormatException"/> for a corrupt file.
    /// </summary>
    public static LoadedData Load(string directory, int? trainLimit = null, int? testLimit = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var missing = Missing(directory);
        if (missing.Count > 0)
        {
            throw new FileNotFoundException(
                $"Fashion-MNIST files missing in {directory}: {string.Join(", ", missing)} (.gz or uncompressed). " +
                $"Install them with `{InstallHint}` or pass --data-dir.");
        }

        var train = LoadSplit(directory, BaseNames[0], BaseNames[1]).Take(trainLimit);
        var test = LoadSplit(directory, BaseNames[2], BaseNames[3]).Take(testLimit);
        return new LoadedData(
            DatasetKind.FashionMnist,
            "fashion-mnist",
            $"Fashion-MNIST from {directory}: {train.Count} training and {test.Count} test images",
            train,
            test,
            null);
    }

    private static ImageDataset LoadSplit(string directory, string imagesName, string labelsName)
    {
        var imagesPath = Find(directory, imagesName)!;
        var labelsPath = Find(directory, labelsName)!;
        var images = IdxReader.ReadImages(imagesPath, ImageDataset.Side, ImageDataset.Side);
        var labels = IdxReader.ReadLabels(labelsPath, ImageDataset.ClassCount);
        return ImageDataset.FromIdx(images, labels, $"{imagesPath} + {labelsPath}");
    }
}
