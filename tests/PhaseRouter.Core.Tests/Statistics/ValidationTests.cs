using PhaseRouter.Statistics;

namespace PhaseRouter.Core.Tests.Statistics;

public class ValidationTests
{
    private static RoutingWarningCode[] Codes(IReadOnlyList<RoutingWarning> warnings) => warnings.Select(w => w.Code).ToArray();

    [Fact]
    public void CleanInputs_GiveNoWarnings()
    {
        Assert.Empty(RoutingStatistics.ValidateRoutingInputs([2, 3, 1], [2, 1, 3, 1], 1, 1000, 0.99));
    }

    [Fact]
    public void EachDoubtfulInput_IsReported()
    {
        Assert.Equal([RoutingWarningCode.EmptySourceRows, RoutingWarningCode.EmptyTargetRows],
            Codes(RoutingStatistics.ValidateRoutingInputs([0, 3, 1], [2, 0, 3, 1], 1)));
        Assert.Equal([RoutingWarningCode.NoCandidates], Codes(RoutingStatistics.ValidateRoutingInputs([0, 0], [1, 2, 0], 5)));
        Assert.Equal([RoutingWarningCode.NoCandidates], Codes(RoutingStatistics.ValidateRoutingInputs([1, 2], [0, 0, 0], 1)));
        Assert.Equal([RoutingWarningCode.AllDegreesFull], Codes(RoutingStatistics.ValidateRoutingInputs([3, 3], [2, 2, 2], 3)));

        // Σt/R = 7/3, so no source has more than 3 candidates.
        RoutingWarning beyond = Assert.Single(RoutingStatistics.ValidateRoutingInputs([2, 3, 1], [2, 1, 3, 1], 4));
        Assert.Equal(RoutingWarningCode.KBeyondCandidates, beyond.Code);
        Assert.Contains("3", beyond.Message);
        Assert.Empty(RoutingStatistics.ValidateRoutingInputs([2, 3, 1], [2, 1, 3, 1], 3));

        Assert.Equal([RoutingWarningCode.TooFewSamples], Codes(RoutingStatistics.ValidateRoutingInputs([2, 3, 1], [2, 1, 3, 1], 1, 99, 0.99)));
        Assert.Equal([RoutingWarningCode.CapacityBelowSlots], Codes(RoutingStatistics.ValidateRoutingInputs([2, 3, 1], [2, 1, 3, 1], 2,
            options: new RouterOptions { TargetCapacities = [1, 1, 1, 2] })));
    }

    [Fact]
    public void MatrixOverload_UsesRowDegrees_AndChecksShapes()
    {
        var s = new BitMatrix(2, 3);
        s[1, 1] = true;
        var t = new BitMatrix(3, 2);
        t[0, 0] = t[1, 1] = t[2, 0] = true;
        Assert.Equal([RoutingWarningCode.EmptySourceRows], Codes(RoutingStatistics.ValidateRoutingInputs(s, t, 1)));
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => RoutingStatistics.ValidateRoutingInputs(s, s, 1)).ParamName);
    }

    [Fact]
    public void InvalidInputs_Throw_NamingTheParameter()
    {
        Assert.Equal("targetDegrees", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.ValidateRoutingInputs([1], [2], 1)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => RoutingStatistics.ValidateRoutingInputs([1], [1], 0)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => RoutingStatistics.ValidateRoutingInputs([1], [1], 1, 0)).ParamName);
        Assert.Equal("confidence", Assert.Throws<ArgumentOutOfRangeException>(() =>
            RoutingStatistics.ValidateRoutingInputs([1], [1], 1, 10, 1.5)).ParamName);
    }
}
