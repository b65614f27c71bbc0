using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Reference;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>Sharded routing (SPEC §2): the routes of a source range, alone, equal the same rows of the whole.</summary>
public class ShardingTests
{
    public static TheoryData<PermutationMethod, bool> Kinds => new()
    {
        { PermutationMethod.Shuffle, false },
        { PermutationMethod.Feistel, false },
        { PermutationMethod.Shuffle, true },
        { PermutationMethod.Feistel, true },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FourShards_EqualTheWhole(PermutationMethod method, bool withScores)
    {
        var rng = new Random(12 + (int)method);
        const int R = 1000;
        const int C = 97;
        const int K = 5;
        int[] s = Enumerable.Range(0, R).Select(_ => rng.Next(C + 1)).ToArray();
        int[] t = Enumerable.Range(0, C).Select(_ => rng.Next(R + 1)).ToArray();
        float[]? scores = withScores ? Enumerable.Range(0, R * C).Select(_ => (float)rng.Next(50)).ToArray() : null;
        var options = new RouterOptions { Seed = 77, PermutationMethod = method, Scores = scores };
        RoutingResult whole = Router.RouteDegrees(s, t, K, options);

        // Uneven shards, one of them empty; the second half goes through reused buffers and the worker's form.
        int[] bounds = [0, 137, 137, 640, R];
        var loads = new int[C];
        var buffers = new RouteBuffers();
        for (int x = 0; x + 1 < bounds.Length; x++)
        {
            int lo = bounds[x];
            int hi = bounds[x + 1];
            RouterOptions shardOptions = options with { Scores = scores?.AsMemory(lo * C, (hi - lo) * C) };
            RoutingResult shard = x < 2
                ? Router.RouteShard(s, t, K, lo, hi, shardOptions)
                : Router.RouteShard(R, lo, s.AsSpan(lo, hi - lo), s.Take(lo).Sum(), t, K, buffers, shardOptions);
            Assert.Equal(lo, shard.FirstSource);
            Assert.Equal(hi - lo, shard.Sources);
            for (int r = 0; r < hi - lo; r++)
            {
                Assert.Equal(whole.RoutesOf(lo + r).ToArray(), shard.RoutesOf(r).ToArray());
            }

            for (int j = 0; j < C; j++)
            {
                loads[j] += shard.TargetLoads[j];
            }
        }

        Assert.Equal(whole.TargetLoads.ToArray(), loads);
    }

    [Property(MaxTest = 60)]
    public void AnyShard_EqualsItsRowsOfTheWhole(int seed, bool feistel)
    {
        var p = Problem.Random(seed);
        var options = new RouterOptions { Seed = p.Seed, PermutationMethod = feistel ? PermutationMethod.Feistel : PermutationMethod.Shuffle };
        RoutingResult whole = Router.RouteDegrees(p.SourceDegrees, p.TargetDegrees, p.K, options);
        var rng = new Random(seed);
        int lo = rng.Next(p.R + 1);
        int hi = rng.Next(lo, p.R + 1);
        RoutingResult shard = Router.RouteShard(p.SourceDegrees, p.TargetDegrees, p.K, lo, hi, options);
        for (int r = 0; r < hi - lo; r++)
        {
            Assert.Equal(whole.RoutesOf(lo + r).ToArray(), shard.RoutesOf(r).ToArray());
        }
    }

    [Fact]
    public void FeistelRouting_IsTheRoutingOfItsPermutations()
    {
        int[] s = Enumerable.Range(0, 300).Select(i => (i * 13) % 61).ToArray();
        int[] t = Enumerable.Range(0, 60).Select(j => (j * 37) % 301).ToArray();
        var feistel = new RouterOptions { Seed = 9, PermutationMethod = PermutationMethod.Feistel };
        var explicitPermutations = new RouterOptions { Seed = 9, Permutations = PhasePermutations.FromSeed(9, 300, 60, false, PermutationMethod.Feistel) };
        Assert.Equal(Router.RouteDegrees(s, t, 4, explicitPermutations).ToArray(), Router.RouteDegrees(s, t, 4, feistel).ToArray());
        Assert.NotEqual(Router.RouteDegrees(s, t, 4, feistel with { PermutationMethod = PermutationMethod.Shuffle }).ToArray(),
            Router.RouteDegrees(s, t, 4, feistel).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(4097)]
    public void IndexPermutation_IsABijection_AndFillMatchesTheIndexer(int length)
    {
        var permutation = new IndexPermutation(42, PhaseRandom.TargetColumnsDomain, length);
        int[] all = permutation.ToArray();
        Assert.Equal(Enumerable.Range(0, length), all.Order());
        for (int i = 0; i < length; i += Math.Max(1, length / 17))
        {
            Assert.Equal(all[i], permutation[i]);
        }

        if (length > 10)
        {
            var middle = new int[length / 3];
            permutation.Fill(length / 2, middle);
            Assert.Equal(all.Skip(length / 2).Take(middle.Length), middle);
            Assert.NotEqual(all, new IndexPermutation(43, PhaseRandom.TargetColumnsDomain, length).ToArray());
            Assert.NotEqual(Enumerable.Range(0, length), all);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => permutation[length]);
    }

    [Fact]
    public void ShardArguments_AreValidated()
    {
        int[] s = [1, 2, 3, 4];
        int[] t = [1, 2, 3, 4];
        Assert.Equal("endSource", Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteShard(s, t, 1, 2, 5)).ParamName);
        Assert.Equal("endSource", Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteShard(s, t, 1, 3, 2)).ParamName);
        Assert.Equal("firstSource", Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteShard(s, t, 1, 5, 5)).ParamName);
        Assert.Equal("firstSource", Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteShard(4, 3, [1, 2], 6, t, 1)).ParamName);
        Assert.Equal("degreesBefore", Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteShard(4, 1, [1, 2], 5, t, 1)).ParamName);
        Assert.Equal("shardDegrees", Assert.Throws<ArgumentOutOfRangeException>(() => Router.RouteShard(4, 1, [1, 9], 1, t, 1)).ParamName);
        Assert.Contains("PermuteRows", Assert.Throws<ArgumentException>(() => Router.RouteShard(s, t, 1, 0, 2, new RouterOptions { PermuteRows = true })).Message);
        Assert.Contains("TargetCapacities", Assert.Throws<ArgumentException>(() => Router.RouteShard(s, t, 1, 0, 2, new RouterOptions { TargetCapacities = [1, 1, 1, 1] })).Message);
        Assert.Contains("BitParallel", Assert.Throws<ArgumentException>(() => Router.RouteShard(s, t, 1, 0, 2, new RouterOptions { Kernel = RouterKernel.BitParallel })).Message);
        Assert.Throws<ArgumentException>(() => Router.RouteShard(s, t, 1, 0, 2, new RouterOptions { Scores = new float[16] }));
    }
}
