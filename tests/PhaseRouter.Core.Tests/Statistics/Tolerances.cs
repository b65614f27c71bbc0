using MathNet.Numerics.Distributions;

namespace PhaseRouter.Core.Tests.Statistics;

/// <summary>
/// Statistical tolerances with an explicit false-alarm budget: each test may fail by chance with probability at most
/// <see cref="FalseAlarm"/> (over all of its comparisons, by Bonferroni).
/// </summary>
internal static class Tolerances
{
    /// <summary>The chance that one statistical test fails although the code is right.</summary>
    public const double FalseAlarm = 1e-6;

    /// <summary>The two-sided normal quantile for <paramref name="comparisons"/> simultaneous comparisons.</summary>
    public static double Z(int comparisons) => Normal.InvCDF(0, 1, 1 - FalseAlarm / (2.0 * comparisons));

    /// <summary>
    /// The Dvoretzky–Kiefer–Wolfowitz bound: with probability at least 1 − FalseAlarm/comparisons, an empirical CDF of
    /// n samples is within this of the true CDF everywhere.
    /// </summary>
    public static double Dkw(int n, int comparisons) => Math.Sqrt(Math.Log(2.0 * comparisons / FalseAlarm) / (2.0 * n));
}
