using PhaseRouter.Examples.MoeTraining.Data;

namespace PhaseRouter.Examples.Tests.Data;

public sealed class SyntheticMixtureTaskTests
{
    private static readonly SyntheticMixtureOptions Small = new(TrainSamples: 3000, TestSamples: 500);

    [Fact]
    public void IsShapedLikeFashionMnist()
    {
        var data = SyntheticMixtureTask.Generate(Small);

        Assert.Equal(DatasetKind.Synthetic, data.Kind);
        Assert.Equal(3000, data.Train.Count);
        Assert.Equal(500, data.Test.Count);
        Assert.Equal(28, data.Train.Height);
        Assert.Equal(28, data.Train.Width);
        Assert.Equal(10, data.Train.Classes);
        Assert.Equal(3000 * 784, data.Train.Pixels.Length);
        Assert.All(data.Train.Pixels, p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void IsDeterministicPerSeed()
    {
        var a = SyntheticMixtureTask.Generate(Small);
        var b = SyntheticMixtureTask.Generate(Small);
        var c = SyntheticMixtureTask.Generate(Small with { Seed = 99 });

        Assert.Equal(a.Train.Pixels, b.Train.Pixels);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
        Assert.NotEqual(a.Train.Pixels, c.Train.Pixels);
    }

    [Fact]
    public void ClusterSizesAreUnequal()
    {
        var w = SyntheticMixtureTask.ClusterWeights(8);

        Assert.Equal(1.0, w.Sum(), 10);
        Assert.True(w[0] > 2.5 * w[7], "the largest cluster should dwarf the smallest");
        Assert.True(w.Zip(w.Skip(1)).All(p => p.First > p.Second));
    }

    [Fact]
    public void EveryClassOccurs()
    {
        var data = SyntheticMixtureTask.Generate(Small);
        var histogram = data.Train.ClassHistogram();

        Assert.All(histogram, c => Assert.True(c > 30, $"class counts {string.Join(",", histogram)}"));
    }
}
