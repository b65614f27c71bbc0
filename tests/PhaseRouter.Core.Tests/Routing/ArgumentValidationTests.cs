namespace PhaseRouter.Core.Tests.Routing;

/// <summary>Bad input is rejected at the public edge with the parameter and value named, and writes nothing.</summary>
public class ArgumentValidationTests
{
    private static readonly int[] Four = [1, 2, 3, 4];

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void K_BelowOne_IsRejected(int k)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees(Four, Four, k));
        Assert.Equal("k", e.ParamName);
        Assert.Equal(k, e.ActualValue);
    }

    [Fact]
    public void Targets_OfTheWrongShape_AreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Router.Route(new BitMatrix(3, 5), new BitMatrix(3, 5), 1));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("5×3", e.Message);
        Assert.Throws<ArgumentException>(() => Router.Route(new byte[3, 5], new byte[5, 4], 1));
    }

    [Fact]
    public void Degrees_OutOfRange_AreRejected()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees([1, -1], [1, 1, 1], 1));
        Assert.Equal("sourceDegrees", negative.ParamName);
        Assert.Equal(-1, negative.ActualValue);
        var tooBig = Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees([1, 1], [1, 3, 1], 1));
        Assert.Equal("targetDegrees", tooBig.ParamName);
        Assert.Contains("[0, 2]", tooBig.Message);
    }

    [Fact]
    public void Permutations_OfTheWrongLengthOrNotPermutations_AreRejected()
    {
        var wrongLength = new RouterOptions { Permutations = new PhasePermutations([0, 1, 2], [0, 1, 2, 3]) };
        Assert.Contains("SourceColumns", Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 1, wrongLength)).Message);
        var repeat = new RouterOptions { Permutations = new PhasePermutations([0, 1, 1, 3], [0, 1, 2, 3]) };
        Assert.Contains("repeat", Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 1, repeat)).Message);
        var outOfRange = new RouterOptions { Permutations = new PhasePermutations([0, 1, 2, 3], [0, 1, 2, 4]) };
        Assert.Contains("TargetColumns", Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 1, outOfRange)).Message);
        var rows = new RouterOptions { Permutations = new PhasePermutations([0, 1, 2, 3], [0, 1, 2, 3], [3, 2, 1]) };
        Assert.Contains("SourceRows", Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 1, rows)).Message);
    }

    [Fact]
    public void PaddedViewBeyondArrayLimits_IsRefused_ButTheCompactRoutesAreThere()
    {
        // R·k = 2^32 padded slots: the compact result needs none of them; only the padded view is refused.
        RoutingResult result = Router.RouteDegrees(new int[1 << 20], new int[4], 1 << 12);
        Assert.Equal(0, result.ActiveRoutes);
        Assert.Equal(1 << 20, result.Sources);
        Assert.Empty(result.RoutesOf((1 << 20) - 1).ToArray());
        var e = Assert.Throws<InvalidOperationException>(() => result.Routes.Length);
        Assert.Contains("RoutesOf", e.Message);
        Assert.Throws<InvalidOperationException>(() => result.ToArray());
    }

    [Fact]
    public void KFarAboveC_AllocatesNothingForTheUnusedSlots()
    {
        // The case: k = 5·10^8 over two targets used to allocate R·k = 10^9 slots (4 GB) for two routes.
        Router.RouteDegrees([2], [1, 1], 500_000_000, new RouterOptions { MaxDegreeOfParallelism = 1 });
        long before = GC.GetAllocatedBytesForCurrentThread();
        RoutingResult result = Router.RouteDegrees([2], [1, 1], 500_000_000, new RouterOptions { MaxDegreeOfParallelism = 1 });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal([0, 1], result.RoutesOf(0).ToArray());
        Assert.Equal(500_000_000, result.K);
        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void UndefinedEnumOptions_AreRejected()
    {
        var kernel = Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees(Four, Four, 1, new RouterOptions { Kernel = (RouterKernel)7 }));
        Assert.Contains("Kernel = 7", kernel.Message);
        Assert.Equal("options", kernel.ParamName);
        var method = Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees(Four, Four, 1, new RouterOptions { PermutationMethod = (PermutationMethod)(-1) }));
        Assert.Contains("PermutationMethod = -1", method.Message);
    }

    [Fact]
    public void SelectionOptions_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 1, new RouterOptions { Scores = new float[15] }));
        var nan = new float[16];
        nan[6] = float.NaN;
        Assert.Contains("source 1, target 2", Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 1, new RouterOptions { Scores = nan })).Message);
        Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 1, new RouterOptions { TargetCapacities = [1, 1, 1] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees(Four, Four, 1, new RouterOptions { TargetCapacities = [1, -1, 1, 1] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees(Four, Four, 2, new RouterOptions { SourceLimits = [1, 3, 1, 1] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees(Four, Four, 2, new RouterOptions { MaxDegreeOfParallelism = 0 }));
    }

    [Fact]
    public void NullOrEmptyScores_MeanNoScores_AndSlicesOfLargerBuffersAreAccepted()
    {
        float[]? none = null;
        int[] plain = Router.RouteDegrees(Four, Four, 2, new RouterOptions { Seed = 3 }).ToArray();
        Assert.Null(new RouterOptions { Scores = none }.Scores);
        Assert.Equal(plain, Router.RouteDegrees(Four, Four, 2, new RouterOptions { Seed = 3, Scores = none }).ToArray());
        Assert.Equal(plain, Router.RouteDegrees(Four, Four, 2, new RouterOptions { Seed = 3, Scores = Array.Empty<float>() }).ToArray());

        float[] scores = Enumerable.Range(0, 16).Select(x => (float)((x * 7) % 5)).ToArray();
        float[] larger = [.. scores, 9f, 9f, 9f];
        Assert.Equal(Router.RouteDegrees(Four, Four, 2, new RouterOptions { Scores = scores }).ToArray(),
            Router.RouteDegrees(Four, Four, 2, new RouterOptions { Scores = larger.AsMemory(0, 16) }).ToArray());
        Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 2, new RouterOptions { Scores = larger }));
    }

    [Fact]
    public void Failure_WritesNothingIntoTheCallersBuffer()
    {
        int[] buffer = Enumerable.Repeat(77, 8).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteDegrees([1, 2, 3, 9], Four, 2, buffer));
        Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 2, buffer, new RouterOptions { Scores = new float[3] }));
        Assert.All(buffer, x => Assert.Equal(77, x));
        var wrongSize = Assert.Throws<ArgumentException>(() => Router.RouteDegrees(Four, Four, 3, buffer));
        Assert.Equal("destination", wrongSize.ParamName);
        Assert.All(buffer, x => Assert.Equal(77, x));
    }

    [Fact]
    public void BitMatrix_RejectsBadIndicesAndPadding()
    {
        var m = new BitMatrix(2, 70);
        Assert.Equal("column", Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 70]).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => m[2, 0]).ParamName);
        var words = new ulong[4];
        words[1] = 1UL << 10; // column 74 of row 0: past the 70 columns
        Assert.Throws<ArgumentException>(() => BitMatrix.FromPackedRows(2, 70, words));
        Assert.Throws<ArgumentException>(() => BitMatrix.FromPackedRows(2, 70, new ulong[3]));
    }
}
