using FsCheck.Xunit;
using PhaseRouter.Kernels;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>The vectorised whole-row top-k (every path of <c>FloatScan.TopScores</c>) against the scalar selector.</summary>
public class TopScoresScanTests
{
    [Property(MaxTest = 400)]
    public bool WholeRowTopK_EqualsScalarSelection(int seed) => Check(seed, n: new Random(seed).Next(1, 300), maxLimit: 16, exclusions: true);

    /// <summary>Rows of 16, 32, 48 or 64 scores and k ≤ 5: the register-resident path (and its k = 5 neighbour).</summary>
    [Property(MaxTest = 400)]
    public bool ExpertSizedRows_EqualScalarSelection(int seed) =>
        Check(seed, n: 16 * (1 + new Random(~seed).Next(4)), maxLimit: 5, exclusions: false);

    private static bool Check(int seed, int n, int maxLimit, bool exclusions)
    {
        var rng = new Random(seed);
        int limit = rng.Next(0, maxLimit + 1);
        // Few distinct values, ±0, ±∞: ties everywhere.
        float[] row = Enumerable.Range(0, n).Select(_ => rng.Next(8) switch
        {
            0 => float.NegativeInfinity,
            1 => rng.Next(2) == 0 ? 0f : -0f,
            2 when rng.Next(4) == 0 => float.PositiveInfinity,
            _ => rng.Next(5) / 2f - 1f,
        }).ToArray();
        ulong[] excluded = !exclusions || rng.Next(2) == 0 ? [] : Enumerable.Range(0, (n + 63) / 64).Select(_ => (ulong)rng.NextInt64() & (ulong)rng.NextInt64()).ToArray();
        if (excluded.Length > 0 && n % 64 != 0)
        {
            excluded[^1] &= (1UL << (n % 64)) - 1;
        }

        var fast = new int[Math.Max(1, limit)];
        int taken = FloatScan.TopScores(row, limit, fast, out int eligible, excluded);

        int[] open = Enumerable.Range(0, n).Where(j => excluded.Length == 0 || (excluded[j >> 6] >> j & 1) == 0).ToArray();
        var reference = new int[Math.Max(1, limit)];
        int expected = RowSelector.SelectTopScores(open, row, limit, reference, out _);
        return taken == expected && fast.AsSpan(0, taken).SequenceEqual(reference.AsSpan(0, expected))
            && eligible == row.Count(x => x != float.NegativeInfinity);
    }
}
