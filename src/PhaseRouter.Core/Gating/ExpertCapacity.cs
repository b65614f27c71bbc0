using System.Globalization;
using System.Numerics;

namespace PhaseRouter.Gating;

/// <summary>
/// The per-expert capacity of a batch, <c>C = ⌈cf · tokens · k / E⌉</c>: the one formula every gate, the ML.NET
/// transformer, the statistics and the example use.
/// </summary>
public static class ExpertCapacity
{
    /// <summary>
    /// Below this distance from an integer, the double estimate of the product is not trusted and the exact rational
    /// is computed. The estimate's error is at most a few units of 1e-16 relative, i.e. under 2e-6 for any product
    /// that fits an <c>int</c>.
    /// </summary>
    private const double ExactMargin = 1e-5;

    /// <summary>
    /// <c>⌈cf · tokens · k / E⌉</c>, the exact ceiling of the real product, where cf is the decimal number the
    /// double prints as (its shortest round-trip form: 1.1 is 1.1, not 1.100000000000000088…). So cf = 1.1,
    /// tokens = 100, k = 2, E = 10 gives 22; any positive product gives at least 1 (cf = 1e-30 gives 1); no tokens
    /// give 0 whatever cf is.
    /// </summary>
    /// <param name="capacityFactor">cf, finite and greater than 0.</param>
    /// <param name="tokens">Tokens in the batch, at least 0.</param>
    /// <param name="k">Slots per token, at least 1.</param>
    /// <param name="experts">E, at least 1.</param>
    /// <returns>The capacity, in <c>[0, int.MaxValue]</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="ArgumentException">The capacity does not fit an <c>int</c>.</exception>
    public static int Of(double capacityFactor, int tokens, int k, int experts)
    {
        if (!double.IsFinite(capacityFactor) || capacityFactor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityFactor), capacityFactor, "The capacity factor must be a finite number greater than 0.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(experts, 1);
        if (tokens == 0)
        {
            return 0;
        }

        long slots = (long)tokens * k;
        double estimate = capacityFactor * slots / experts;
        if (estimate > 2.0 * int.MaxValue)
        {
            throw TooLarge(capacityFactor, tokens, k, experts);
        }

        if (estimate < 1 - ExactMargin)
        {
            return 1; // positive and below 1
        }

        double fraction = estimate - Math.Floor(estimate);
        long ceiling = fraction > ExactMargin && fraction < 1 - ExactMargin
            ? (long)Math.Ceiling(estimate)
            : ExactCeiling(capacityFactor, slots, experts);
        return ceiling <= int.MaxValue ? (int)ceiling : throw TooLarge(capacityFactor, tokens, k, experts);
    }

    /// <summary>The ceiling of <c>cf · slots / experts</c> in integers, cf taken as its shortest decimal form.</summary>
    private static long ExactCeiling(double capacityFactor, long slots, int experts)
    {
        string text = capacityFactor.ToString("R", CultureInfo.InvariantCulture);
        int exponentAt = text.IndexOfAny(['E', 'e']);
        int exponent = exponentAt < 0 ? 0 : int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        string digits = exponentAt < 0 ? text : text[..exponentAt];
        int point = digits.IndexOf('.');
        if (point >= 0)
        {
            exponent -= digits.Length - point - 1;
            digits = digits.Remove(point, 1);
        }

        BigInteger numerator = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) * slots;
        BigInteger denominator = experts;
        if (exponent >= 0)
        {
            numerator *= BigInteger.Pow(10, exponent);
        }
        else
        {
            denominator *= BigInteger.Pow(10, -exponent);
        }

        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
        if (!remainder.IsZero)
        {
            quotient += 1;
        }

        return quotient > long.MaxValue ? long.MaxValue : (long)quotient;
    }

    private static ArgumentException TooLarge(double capacityFactor, int tokens, int k, int experts) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"The capacity ⌈cf · tokens · k / E⌉ for cf = {capacityFactor:R}, tokens = {tokens}, k = {k}, E = {experts} does not fit an int."),
            nameof(capacityFactor));
}
