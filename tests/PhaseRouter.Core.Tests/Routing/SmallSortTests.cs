using FsCheck.Xunit;
using PhaseRouter.Kernels;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>The rank sort of short candidate lists against <see cref="Array.Sort(Array)"/>.</summary>
public class SmallSortTests
{
    [Property(MaxTest = 300)]
    public void SortDistinct_SortsLikeArraySort(int seed, byte length)
    {
        // Distinct non-negative values, as candidate lists are; lengths on both sides of the rank-sort limit.
        var rng = new Random(seed);
        int n = length % 80;
        int[] values = Enumerable.Range(0, 100_000).OrderBy(_ => rng.Next()).Take(n).ToArray();
        int[] expected = values.Order().ToArray();
        SmallSort.SortDistinct(values);
        Assert.Equal(expected, values);
    }
}
