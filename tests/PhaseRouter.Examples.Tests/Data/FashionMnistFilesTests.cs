using PhaseRouter.Examples.MoeTraining.Data;

namespace PhaseRouter.Examples.Tests.Data;

public sealed class FashionMnistFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteSet(string images, string labels, int count, bool compress)
    {
        var pixels = new byte[count * 28 * 28];
        new Random(1).NextBytes(pixels);
        var y = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        var suffix = compress ? ".gz" : string.Empty;
        IdxWriter.Write(_dir.File(images + suffix), new IdxFile([count, 28, 28], pixels), compress);
        IdxWriter.Write(_dir.File(labels + suffix), new IdxFile([count], y), compress);
    }

    [Fact]
    public void Missing_ListsEveryAbsentFile()
    {
        Assert.Equal(FashionMnistFiles.BaseNames, FashionMnistFiles.Missing(_dir.Path));
        Assert.False(FashionMnistFiles.IsInstalled(_dir.Path));
    }

    [Fact]
    public void Load_WithMissingFiles_SaysWhichAndHowToInstall()
    {
        WriteSet("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 20, compress: true);

        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnistFiles.Load(_dir.Path));

        Assert.Contains("t10k-images-idx3-ubyte", ex.Message, StringComparison.Ordinal);
        Assert.Contains("t10k-labels-idx1-ubyte", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("train-images", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AcceptsGzipAndUncompressedFiles()
    {
        WriteSet("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 30, compress: true);
        WriteSet("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 12, compress: false);

        var data = FashionMnistFiles.Load(_dir.Path, trainLimit: 25);

        Assert.Equal(DatasetKind.FashionMnist, data.Kind);
        Assert.Equal("fashion-mnist", data.Name);
        Assert.Equal(25, data.Train.Count);
        Assert.Equal(12, data.Test.Count);
        Assert.Equal(25 * 784, data.Train.Pixels.Length);
        Assert.All(data.Train.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Load_ImageAndLabelCountsMustAgree()
    {
        WriteSet("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 30, compress: true);
        WriteSet("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 12, compress: true);
        IdxWriter.Write(_dir.File("t10k-labels-idx1-ubyte.gz"), new IdxFile([11], new byte[11]), compress: true);

        var ex = Assert.Throws<IdxFormatException>(() => FashionMnistFiles.Load(_dir.Path));
        Assert.Contains("12 images but 11 labels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_Auto_WithoutDataDir_FallsBackToSyntheticWithInstallNotice()
    {
        // No --data-dir, and the default directory (here an empty one) lacks the files.
        var data = DatasetResolver.Load(DatasetKind.Auto, null, 200, 50, new SyntheticMixtureOptions(), defaultDirectory: _dir.Path);

        Assert.Equal(DatasetKind.Synthetic, data.Kind);
        Assert.Equal(200, data.Train.Count);
        Assert.Equal(50, data.Test.Count);
        Assert.NotNull(data.Notice);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", data.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_Auto_WithAGivenDataDirLackingFiles_IsAnErrorNamingThem()
    {
        // --data-dir given but incomplete: an error, not a silent switch to the synthetic task.
        WriteSet("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 20, compress: true);

        var ex = Assert.Throws<FileNotFoundException>(
            () => DatasetResolver.Load(DatasetKind.Auto, _dir.Path, null, null, new SyntheticMixtureOptions()));

        Assert.Contains("t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_dir.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_ExplicitFashionMnistWithoutFiles_IsAnError()
    {
        Assert.Throws<FileNotFoundException>(
            () => DatasetResolver.Load(DatasetKind.FashionMnist, _dir.Path, null, null, new SyntheticMixtureOptions()));
    }
}
