using PhaseRouter.Examples.MoeTraining.Data;

namespace PhaseRouter.Examples.Tests.Data;

/// <summary>Real Fashion-MNIST files: the repository's slice always, the full installed set when it is there.</summary>
public sealed class RealFashionMnistTests
{
    [FullFashionMnistFact]
    public void FullSet_LoadsWithExpectedShapeAndBalancedLabels()
    {
        var data = FashionMnistFiles.Load(FashionMnistFiles.DefaultDirectory);

        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal(28, data.Train.Height);
        Assert.All(data.Train.ClassHistogram(), c => Assert.Equal(6_000, c));
        Assert.All(data.Test.ClassHistogram(), c => Assert.Equal(1_000, c));
        Assert.InRange(data.Train.Pixels.Average(), 0.2f, 0.4f);
    }

    [Fact]
    public void RepositorySlice_LoadsWithExpectedShapeAndBalancedLabels()
    {
        var data = FashionMnistFiles.Load(FashionMnistSlice.Directory);

        Assert.Equal(FashionMnistSlice.TrainCount, data.Train.Count);
        Assert.Equal(FashionMnistSlice.TestCount, data.Test.Count);
        Assert.Equal(28, data.Train.Height);
        Assert.All(data.Train.ClassHistogram(), c => Assert.Equal(100, c));
        Assert.All(data.Test.ClassHistogram(), c => Assert.Equal(50, c));
        // Real images, not blank or noise: the set's mean intensity is about 0.29 and most pixels are background.
        Assert.InRange(data.Train.Pixels.Average(), 0.2f, 0.4f);
        Assert.InRange(data.Train.Pixels.Count(p => p == 0f) / (double)data.Train.Pixels.Length, 0.3, 0.7);
    }
}
