using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData(0, 1, "Experts")]
    [InlineData(4, 0, "K")]
    [InlineData(4, 5, "K")]
    public void BadExpertsOrKAreRejected(int experts, int k, string parameter)
    {
        var options = new MoeGateOptions { Experts = experts, K = k };
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(parameter, error.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => new PhaseRouterGate(4, options));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    public void MenuSizeOutsideKToExpertsIsRejected(int menuSize)
    {
        var options = new MoeGateOptions { Experts = 8, K = 2, MenuSize = menuSize };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal("MenuSize", error.ParamName);
        Assert.Equal(menuSize, error.ActualValue);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveCapacityFactorIsRejected(double factor)
    {
        var options = new MoeGateOptions { Experts = 4, CapacityFactor = factor };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TopKSoftmaxGate(8, options));
        Assert.Equal("CapacityFactor", error.ParamName);
    }

    [Fact]
    public void AcceptanceDegreesMustMatchExpertsAndBeNonNegative()
    {
        Assert.Equal("AcceptanceDegrees",
            Assert.ThrowsAny<ArgumentException>(new MoeGateOptions { Experts = 3, AcceptanceDegrees = [1, 2] }.Validate).ParamName);
        Assert.Equal("AcceptanceDegrees",
            Assert.ThrowsAny<ArgumentException>(new MoeGateOptions { Experts = 2, AcceptanceDegrees = [1, -2] }.Validate).ParamName);
    }

    [Fact]
    public void UndefinedPolicyIsRejected()
    {
        Assert.ThrowsAny<ArgumentException>(new MoeGateOptions { Experts = 2, Policy = (GatePolicy)7 }.Validate);
    }

    [Theory]
    [InlineData(1.25, 8192, 2, 64, 320)]
    [InlineData(1.1, 10, 1, 1, 11)]
    [InlineData(1.0, 10, 1, 3, 4)]
    [InlineData(0.01, 10, 1, 4, 1)]
    [InlineData(2.0, 0, 1, 4, 0)]
    public void CapacityIsTheCeilingOfFactorTimesTokensTimesKOverExperts(double factor, int tokens, int k, int experts, int expected)
    {
        var options = new MoeGateOptions { Experts = experts, K = k, CapacityFactor = factor };
        Assert.Equal(expected, options.CapacityFor(tokens));
    }

    [Fact]
    public void DefaultMenuSizeIsTwiceKAtLeastFourAtMostExperts()
    {
        Assert.Equal(4, new MoeGateOptions { Experts = 8, K = 1 }.EffectiveMenuSize);
        Assert.Equal(6, new MoeGateOptions { Experts = 8, K = 3 }.EffectiveMenuSize);
        Assert.Equal(3, new MoeGateOptions { Experts = 3, K = 1 }.EffectiveMenuSize);
    }

    [Fact]
    public void BadJitterAndModelDimAreRejected()
    {
        var options = new MoeGateOptions { Experts = 4 };
        Assert.Equal("jitterNoise", Assert.Throws<ArgumentOutOfRangeException>(() => new TopKSoftmaxGate(8, options, 1.0)).ParamName);
        Assert.Equal("modelDim", Assert.Throws<ArgumentOutOfRangeException>(() => new PhaseRouterGate(0, options)).ParamName);
    }

    [Theory]
    [InlineData(new long[] { 8 })]
    [InlineData(new long[] { 2, 2, 2, 8 })]
    [InlineData(new long[] { 5, 7 })]
    [InlineData(new long[] { 2, 3, 9 })]
    public void WrongInputRankOrWidthIsRejected(long[] shape)
    {
        using var gate = new PhaseRouterGate(8, new MoeGateOptions { Experts = 4 });
        using var x = zeros(shape);
        var error = Assert.Throws<ArgumentException>(() => gate.call(x));
        Assert.Equal("x", error.ParamName);
        Assert.Contains("8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IntegerInputIsRejected()
    {
        using var gate = new HashGate(8, new MoeGateOptions { Experts = 4 });
        using var x = zeros([3, 8], ScalarType.Int64);
        Assert.Contains("floating", Assert.Throws<ArgumentException>(() => gate.call(x)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoeLayerRejectsAGateOfAnotherShape()
    {
        using var gate = new PhaseRouterGate(8, new MoeGateOptions { Experts = 4 });
        Assert.Equal("gate", Assert.Throws<ArgumentException>(() => new MoeLayer(gate, 8, 16, 5)).ParamName);
        Assert.Equal("gate", Assert.Throws<ArgumentException>(() => new MoeLayer(gate, 6, 16, 4)).ParamName);
        Assert.Equal("hiddenDim", Assert.Throws<ArgumentOutOfRangeException>(() => new MoeLayer(gate, 8, 0, 4)).ParamName);
    }
}
