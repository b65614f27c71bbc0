namespace PhaseRouter.Core.Tests.Routing;

/// <summary>−0 and +0 compare equal as floats, so as scores they are a tie (broken by the lower index) everywhere.</summary>
public class SignedZeroTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(20)]
    [InlineData(33)]
    public void SignedZeros_TieByTarget_AtEveryK(int k)
    {
        // One source, 40 targets that are all candidates, every score a zero of alternating sign: the top k by
        // (score, lower target) are the first k targets, whichever path ranks them.
        const int C = 40;
        float[] scores = Enumerable.Range(0, C).Select(j => j % 2 == 0 ? -0f : 0f).ToArray();
        RoutingResult result = Router.RouteDegrees([C], Enumerable.Repeat(1, C).ToArray(), k, new RouterOptions { Scores = scores });
        Assert.Equal(Enumerable.Range(0, k), result.RoutesOf(0).ToArray());
    }

    [Fact]
    public void SignedZeros_TieBySource_InTheCapacityOrder()
    {
        // Two sources whose best scores are −0 (source 0) and +0 (source 1) compete for one slot: a tie, so the lower
        // source is served first.
        RoutingResult result = Router.RouteDegrees([1, 1], [2], 1, new RouterOptions
        {
            Scores = new[] { -0f, 0f },
            TargetCapacities = [1],
        });
        Assert.Equal([0], result.RoutesOf(0).ToArray());
        Assert.Empty(result.RoutesOf(1).ToArray());
    }
}
