using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Gating;
using PhaseRouter.Kernels;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>The gates' top-k over finite rows (every path of <c>FiniteRowTop.TopRows</c>) against a full sort.</summary>
public class FiniteRowTopTests
{
    /// <summary>Rows of 8 to 64 scores in steps of 8 and k ≤ 9: the Vector512 and Vector256 register paths and their neighbours.</summary>
    [Property(MaxTest = 300)]
    public bool RegisterSizedRows_EqualTheSortedReference(int seed) => Check(seed, 8 * (1 + new Random(~seed).Next(8)), maxK: 9);

    /// <summary>Any row length and k up to 24: the row-by-row paths.</summary>
    [Property(MaxTest = 200)]
    public bool AnyRows_EqualTheSortedReference(int seed) => Check(seed, new Random(~seed).Next(1, 100), maxK: 24);

    private static bool Check(int seed, int columns, int maxK)
    {
        var rng = new Random(seed);
        int k = rng.Next(1, Math.Min(columns, maxK) + 1);
        int rows = rng.Next(0, 40);
        // Few distinct values and ±0 (ties everywhere), or spread values.
        bool ties = rng.Next(3) != 0;
        float[] scores = Enumerable.Range(0, rows * columns).Select(_ => ties
            ? rng.Next(6) switch
            {
                0 => 0f,
                1 => -0f,
                _ => rng.Next(5) / 2f - 1f,
            }
            : (float)(rng.NextDouble() * 1e4 - 5e3)).ToArray();
        var fast = new int[rows * k];
        FiniteRowTop.TopRows(scores, rows, columns, k, fast, new int[columns]);
        return fast.SequenceEqual(GateReference.TopK(scores, columns, k));
    }
}
