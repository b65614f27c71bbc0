namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>Chooses and loads the data set from the <c>--dataset</c> and <c>--data-dir</c> options.</summary>
public static class DatasetResolver
{
    /// <summary>
    /// Resolves <see cref="DatasetKind.Auto"/> and loads the data. Without <paramref name="dataDirectory"/>, auto means
    /// Fashion-MNIST when its files are in the default directory (<see cref="FashionMnistFiles.DefaultDirectory"/>),
    /// else the synthetic task with a notice saying how to install it. A given <paramref name="dataDirectory"/> (the
    /// user's <c>--data-dir</c>) must hold all four files, as must the directory of an explicit
    /// <see cref="DatasetKind.FashionMnist"/>: otherwise a <see cref="FileNotFoundException"/> names the missing files.
    /// </summary>
    public static LoadedData Load(
        DatasetKind kind,
        string? dataDirectory,
        int? trainLimit,
        int? testLimit,
        SyntheticMixtureOptions synthetic) =>
        Load(kind, dataDirectory, trainLimit, testLimit, synthetic, FashionMnistFiles.DefaultDirectory);

    /// <summary><see cref="Load(DatasetKind, string?, int?, int?, SyntheticMixtureOptions)"/> with the default directory given (for tests).</summary>
    internal static LoadedData Load(
        DatasetKind kind,
        string? dataDirectory,
        int? trainLimit,
        int? testLimit,
        SyntheticMixtureOptions synthetic,
        string defaultDirectory)
    {
        ArgumentNullException.ThrowIfNull(synthetic);
        var dir = dataDirectory ?? defaultDirectory;
        switch (kind)
        {
            case DatasetKind.FashionMnist:
                return FashionMnistFiles.Load(dir, trainLimit, testLimit);
            case DatasetKind.Synthetic:
                return SyntheticMixtureTask.Generate(Limit(synthetic, trainLimit, testLimit));
            case DatasetKind.Auto:
                if (dataDirectory is not null || FashionMnistFiles.IsInstalled(dir))
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
