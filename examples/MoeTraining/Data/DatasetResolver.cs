namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>Chooses and loads the data set from the <c>--dataset</c> and <c>--data-dir</c> options.</summary>
public static class DatasetResolver
{
    /// <summary>
    /// Resolves <see cref="DatasetKind.Auto"/> (Fashion-MNIST when its files are in <paramref name="dataDirectory"/>,
    /// else synthetic with a notice saying how to install it) and loads the data.
    /// An explicit <see cref="DatasetKind.FashionMnist"/> with missing files is an error.
    /// </summary>
    public static LoadedData Load(
        DatasetKind kind,
        string? dataDirectory,
        int? trainLimit,
        int? testLimit,
        SyntheticMixtureOptions synthetic)
    {
        ArgumentNullException.ThrowIfNull(synthetic);
        var dir = dataDirectory ?? FashionMnistFiles.DefaultDirectory;
        switch (kind)
        {
            case DatasetKind.FashionMnist:
                return FashionMnistFiles.Load(dir, trainLimit, testLimit);
            case DatasetKind.Synthetic:
                return SyntheticMixtureTask.Generate(Limit(synthetic, trainLimit, testLimit));
            case DatasetKind.Auto:
                if (FashionMnistFiles.IsInstalled(dir))
                {
                    return FashionMnistFiles.Load(dir, trainLimit, testLimit);
                }

                var data = SyntheticMixtureTask.Generate(Limit(synthetic, trainLimit, testLimit));
                return data with
                {
                    Notice = $"Fashion-MNIST not found in {dir}; using the synthetic task. " +
                             $"Install it with `{FashionMnistFiles.InstallHint}`.",
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown data set.");
        }
    }

    private static SyntheticMixtureOptions Limit(SyntheticMixtureOptions o, int? train, int? test) => o with
    {
        TrainSamples = train ?? o.TrainSamples,
        TestSamples = test ?? o.TestSamples,
    };
}
