using FsCheck.Xunit;

namespace PhaseRouter.Core.Tests.Randomness;

/// <summary>
/// <see cref="BoundedDraws"/> (the shuffle's draws, eight at a time where vectors allow) against calling
/// <see cref="SplitMix64.NextBounded"/> one draw after another: the same draws and the same stream state after them,
/// also where Lemire's rejection fires, and the shuffle built on them against the textbook loop.
/// </summary>
public class BoundedDrawsTests
{
    [Property(MaxTest = 300)]
    public bool Draws_EqualOneByOne(ulong state, int length, uint firstBound)
    {
        int count = 1 + Math.Abs(length % 200);
        uint bound = Math.Max(firstBound, (uint)count); // every bound firstBound − m stays at least 1
        return Same(state, bound, count);
    }

    [Fact]
    public void Draws_EqualOneByOne_WhereRejectionsFire()
    {
        // Bounds just above 2^31 reject about half the raw draws, so nearly every group of eight takes the slow path
        // and the state must come out exactly as one draw at a time leaves it.
        var rng = new Random(12);
        for (int trial = 0; trial < 200; trial++)
        {
            ulong state = (ulong)rng.NextInt64();
            uint bound = (1u << 31) + (uint)rng.Next(1, 1000);
            Assert.True(Same(state, bound, rng.Next(1, 70)));
        }
    }

    [Property(MaxTest = 200)]
    public bool FillPermutation_EqualsTheTextbookShuffle(ulong seed, int length)
    {
        int n = Math.Abs(length % 3000);
        var expected = Enumerable.Range(0, n).ToArray();
        var rng = PhaseRandom.Stream(seed, PhaseRandom.SourceColumnsDomain);
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)rng.NextBounded((uint)(i + 1));
            (expected[i], expected[j]) = (expected[j], expected[i]);
        }

        var actual = new int[n];
        PhaseRandom.FillPermutation(seed, PhaseRandom.SourceColumnsDomain, actual);
        return actual.SequenceEqual(expected);
    }

    private static bool Same(ulong state, uint firstBound, int count)
    {
        var reference = new SplitMix64(state);
        var expected = new int[count];
        for (int m = 0; m < count; m++)
        {
            expected[m] = (int)reference.NextBounded(firstBound - (uint)m);
        }

        var actual = new int[count];
        ulong after = state;
        BoundedDraws.Fill(ref after, firstBound, actual);
        return actual.SequenceEqual(expected) && after == reference.State;
    }
}
