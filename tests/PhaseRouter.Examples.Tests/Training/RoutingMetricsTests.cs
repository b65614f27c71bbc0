using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.Tests.Training;

public sealed class RoutingMetricsTests
{
    [Fact]
    public void MaxVio_IsMaxOverMeanMinusOne()
    {
        Assert.Equal(0, RoutingMetrics.MaxVio([4, 4, 4, 4]));
        Assert.Equal(1.0, RoutingMetrics.MaxVio([8, 0, 4, 4]), 12);          // mean 4, max 8
        Assert.Equal(3.0, RoutingMetrics.MaxVio([16, 0, 0, 0]), 12);         // everything on one of 4 experts
        Assert.Equal(0, RoutingMetrics.MaxVio([0, 0, 0]));                   // nothing routed: no imbalance to report
        Assert.Equal(0.5, RoutingMetrics.MaxVio([3L, 1L, 2L]), 12);
    }

    [Fact]
    public void SpilledSlots_CountsRoutedSlotsOutsideTheTokensChoices()
    {
        // k = 2, 3 tokens. Token 0 got its two choices (in the other order), token 1 one choice and one spill,
        // token 2 one spill and one empty slot.
        int[] choices = [0, 1, 2, 3, 1, 0];
        int[] routes = [1, 0, 2, 5, 4, -1];

        Assert.Equal(2, RoutingMetrics.SpilledSlots(routes, choices, 2));
        Assert.Equal(0, RoutingMetrics.SpilledSlots(routes, [], 2)); // no preference recorded: nothing to compare with
        Assert.Throws<ArgumentException>(() => RoutingMetrics.SpilledSlots(routes, [0, 1], 2));
    }

    [Fact]
    public void ShortSlots_AreEachTokensShortfallBelowK()
    {
        // k-wide rows (k = 2): the empty slots.
        int[] routes = [1, -1, -1, -1, -1, 3, -1, -1];
        Assert.Equal(6, RoutingMetrics.ShortSlots(routes, width: 2, k: 2));
        // E-wide rows of expert choice (E = 4, k = 2): token 0 has 3 experts, token 1 none; the extra expert of token 0
        // does not make up for token 1.
        int[] expertChoice = [0, 1, 3, -1, -1, -1, -1, -1];
        Assert.Equal(2, RoutingMetrics.ShortSlots(expertChoice, width: 4, k: 2));
        Assert.Equal(1, RoutingMetrics.ShortSlots(expertChoice, width: 4, k: 1));
    }

    [Fact]
    public void StepRecord_AggregatesItsBlocks()
    {
        var step = new StepRecord(1, 1, 1.0, 0.5, 10,
        [
            new BlockRouting(1, [4, 4, 4, 4], [8, 4, 4, 0], 4, 16, 16, 0, 3, 0, 0.25),
            new BlockRouting(3, [4, 4, 2, 0], [8, 4, 2, 2], 4, 16, 16, 6, 0, 6, 0.5),
        ]);

        Assert.Equal(0.75, step.RouterMilliseconds, 12);
        Assert.Equal(32, step.Slots);
        Assert.Equal(6, step.DroppedSlots);
        Assert.Equal(3, step.SpilledSlots);
        Assert.Equal(6, step.TokensWithoutExpert);
        Assert.Equal((0 + 0.6) / 2, step.MaxVio, 12);          // block 3: max 4 over mean 2.5
        Assert.Equal((1.0 + 1.0) / 2, step.DemandMaxVio, 12);
        Assert.True(step.WithinCapacity);
        Assert.False((step with { Blocks = [step.Blocks[0] with { Loads = [5, 4, 4, 3] }] }).WithinCapacity);
    }
}
