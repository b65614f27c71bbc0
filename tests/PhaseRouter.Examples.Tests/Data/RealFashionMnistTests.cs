using PhaseRouter.Examples.MoeTraining.Data;

namespace PhaseRouter.Examples.Tests.Data;

/// <summary>The real files of Debian's dataset-fashion-mnist (CI installs the package; missing files fail the test).</summary>
public sealed class RealFashionMnistTests
{
    public static string RequireInstalled()
    {
        var missing = FashionMnistFiles.Missing(FashionMnistFiles.DefaultDirectory);
        Assert.True(
            missing.Count == 0,
            $"Fashion-MNIST is not installed: {string.Join(", ", missing)} missing in {FashionMnistFiles.DefaultDirectory}. " +
            $"Install it with `{FashionMnistFiles.InstallHint}` (.ci/run does).");
        return FashionMnistFiles.DefaultDirectory;
    }

    [Fact]
    public void RealFiles_LoadWithExpectedShapeAndBalancedLabels()
    {
        var data = FashionMnistFiles.Load(RequireInstalled());

        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal(28, data.Train.Height);
        Assert.All(data.Train.ClassHistogram(), c => Assert.Equal(6_000, c));
        Assert.All(data.Test.ClassHistogram(), c => Assert.Equal(1_000, c));
        Assert.InRange(data.Train.Pixels.Average(), 0.2f, 0.4f);
    }
}
