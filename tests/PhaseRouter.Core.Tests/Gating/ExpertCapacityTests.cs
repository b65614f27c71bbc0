using System.Globalization;
using System.Numerics;
using FsCheck.Xunit;
using PhaseRouter.Gating;

namespace PhaseRouter.Core.Tests.Gating;

public class ExpertCapacityTests
{
    [Theory]
    [InlineData(1.1, 100, 2, 10, 22)] // the planner said 23 (double), the gate 22 (decimal)
    [InlineData(1e-30, 100, 2, 10, 1)] // any positive product: at least 1
    [InlineData(1e30, 0, 2, 10, 0)] // no tokens: 0, whatever cf
    [InlineData(1.25, 8192, 2, 64, 320)]
    [InlineData(1.0, 100, 2, 10, 20)]
    [InlineData(0.1, 30, 1, 3, 1)] // 0.1 · 30 / 3 is 1.0000000000000002 in doubles
    [InlineData(0.7, 10, 1, 7, 1)]
    [InlineData(1.0, 7, 1, 3, 3)]
    [InlineData(0.5, 1, 1, 1, 1)]
    [InlineData(3.0, int.MaxValue / 4, 1, 1, 3 * (int.MaxValue / 4))]
    public void Of_IsTheExactCeilingOfTheDecimalProduct(double cf, int tokens, int k, int experts, int expected) =>
        Assert.Equal(expected, ExpertCapacity.Of(cf, tokens, k, experts));

    [Fact]
    public void Of_RejectsWhatDoesNotFitAnInt()
    {
        var error = Assert.Throws<ArgumentException>(() => ExpertCapacity.Of(1e30, 100, 2, 10));
        Assert.Contains("does not fit", error.Message);
        Assert.Throws<ArgumentException>(() => ExpertCapacity.Of(1.0, int.MaxValue, 2, 1));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Of_RejectsABadFactor(double cf) =>
        Assert.Equal("capacityFactor", Assert.Throws<ArgumentOutOfRangeException>(() => ExpertCapacity.Of(cf, 10, 1, 2)).ParamName);

    [Fact]
    public void Of_RejectsBadSizes()
    {
        Assert.Equal("tokens", Assert.Throws<ArgumentOutOfRangeException>(() => ExpertCapacity.Of(1, -1, 1, 2)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => ExpertCapacity.Of(1, 1, 0, 2)).ParamName);
        Assert.Equal("experts", Assert.Throws<ArgumentOutOfRangeException>(() => ExpertCapacity.Of(1, 1, 1, 0)).ParamName);
    }

    /// <summary>Against a big-rational reference of the factor's shortest decimal form, over factors with up to 6 decimals and near-integer products.</summary>
    [Property(MaxTest = 500)]
    public bool Of_EqualsTheRationalReference(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 200);
        int k = rng.Next(1, 9);
        int tokens = rng.Next(0, 100_000);
        int decimals = rng.Next(0, 7);
        long units = rng.Next(1, 5_000_000);
        // Often a factor that makes the product an integer (or a hair off one), the hard case.
        double cf = rng.Next(3) == 0 && tokens > 0
            ? (double)(rng.Next(1, 1000) * experts) / ((double)tokens * k)
            : units / Math.Pow(10, decimals);
        if (!(cf > 0))
        {
            return true;
        }

        BigInteger reference = Reference(cf, tokens, k, experts);
        return reference > int.MaxValue
            ? Throws(() => ExpertCapacity.Of(cf, tokens, k, experts))
            : ExpertCapacity.Of(cf, tokens, k, experts) == (int)reference;
    }

    /// <summary>A larger factor never gives a smaller capacity (the statistics rely on it when they search a factor).</summary>
    [Property(MaxTest = 300)]
    public bool Of_IsMonotoneInTheFactor(int seed)
    {
        var rng = new Random(seed);
        int experts = rng.Next(1, 100);
        int k = rng.Next(1, 5);
        int tokens = rng.Next(1, 10_000);
        double cf = (double)rng.Next(1, 400) * experts / ((double)tokens * k);
        return ExpertCapacity.Of(Math.BitIncrement(cf), tokens, k, experts) >= ExpertCapacity.Of(cf, tokens, k, experts)
            && ExpertCapacity.Of(cf, tokens, k, experts) >= ExpertCapacity.Of(Math.BitDecrement(cf), tokens, k, experts);
    }

    private static BigInteger Reference(double cf, int tokens, int k, int experts)
    {
        // cf's shortest decimal form as a fraction n / 10^d, through System.Decimal's exact parse where it can hold it.
        decimal value = decimal.Parse(cf.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        int scale = value.Scale;
        var numerator = new BigInteger(value * (decimal)Math.Pow(10, scale)) * tokens * k;
        BigInteger denominator = BigInteger.Pow(10, scale) * experts;
        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
        return remainder.IsZero ? quotient : quotient + 1;
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
