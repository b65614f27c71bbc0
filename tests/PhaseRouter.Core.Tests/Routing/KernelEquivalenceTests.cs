using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Reference;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>Both kernels against the step-by-step reference of SPEC §1, on random shapes and degrees.</summary>
public class KernelEquivalenceTests
{
    public static TheoryData<RouterKernel> Kernels => new() { RouterKernel.ArcScan, RouterKernel.BitParallel, RouterKernel.Sweep };

    [Property(MaxTest = 150)]
    public bool Candidates_EqualReference(int seed, bool permuteRows)
    {
        var p = Problem.Random(seed);
        var reference = p.Reference();
        reference.BuildCandidates(p.Seed, permuteRows);
        foreach (RouterKernel kernel in new[] { RouterKernel.ArcScan, RouterKernel.BitParallel, RouterKernel.Sweep, RouterKernel.Auto })
        {
            BitMatrix cand = Router.Candidates(p.SourceMatrix, p.TargetMatrix,
                new RouterOptions { Seed = p.Seed, PermuteRows = permuteRows, Kernel = kernel });
            if (!cand.Equals(BitMatrix.FromDense(reference.Cand)))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 150)]
    public bool RandomSelection_EqualsReference(int seed, bool permuteRows)
    {
        var p = Problem.Random(seed);
        var reference = p.Reference();
        reference.BuildCandidates(p.Seed, permuteRows);
        int[] expected = reference.Select(p.K, p.Seed);
        return AllEntryPointsGive(expected, p, new RouterOptions { Seed = p.Seed, PermuteRows = permuteRows });
    }

    [Property(MaxTest = 100)]
    public bool ScoreRanked_EqualsReference(int seed, bool permuteRows)
    {
        var p = Problem.Random(seed);
        float[] scores = p.RandomScores(seed);
        var reference = p.Reference();
        reference.BuildCandidates(p.Seed, permuteRows);
        int[] expected = reference.Select(p.K, p.Seed, scores);
        return AllEntryPointsGive(expected, p, new RouterOptions { Seed = p.Seed, PermuteRows = permuteRows, Scores = scores });
    }

    [Property(MaxTest = 100)]
    public bool Capacities_EqualReference(int seed, bool withScores)
    {
        var p = Problem.Random(seed);
        var rng = new Random(seed);
        float[]? scores = withScores ? p.RandomScores(seed) : null;
        int[] caps = Enumerable.Range(0, p.C).Select(_ => rng.Next(0, 4)).ToArray();
        int[] limits = Enumerable.Range(0, p.R).Select(_ => rng.Next(0, p.K + 1)).ToArray();
        var reference = p.Reference();
        reference.BuildCandidates(p.Seed, false);
        int[] expected = reference.Select(p.K, p.Seed, scores, caps, limits);
        return AllEntryPointsGive(expected, p,
            new RouterOptions { Seed = p.Seed, Scores = scores, TargetCapacities = caps, SourceLimits = limits });
    }

    [Property(MaxTest = 120)]
    public bool CompleteRows_ScoreRanked_EqualReference(int seed, bool withCapacities)
    {
        // Every target accepts every source and most sources are full: the vectorised complete-row path, with
        // ties, masked pairs, limits above and below its 16-entry bound, and capacities.
        var rng = new Random(seed);
        int r = rng.Next(1, 60);
        int c = rng.Next(1, 140);
        int k = rng.Next(1, 21);
        int[] s = Enumerable.Range(0, r).Select(_ => rng.Next(4) == 0 ? rng.Next(c + 1) : c).ToArray();
        int[] t = Enumerable.Repeat(r, c).ToArray();
        float[] scores = Enumerable.Range(0, r * c)
            .Select(_ => rng.Next(8) == 0 ? float.NegativeInfinity : rng.Next(12) / 4f).ToArray();
        int[]? caps = withCapacities ? Enumerable.Range(0, c).Select(_ => rng.Next(0, 3)).ToArray() : null;
        int[] limits = Enumerable.Range(0, r).Select(_ => rng.Next(0, k + 1)).ToArray();
        ulong routeSeed = (ulong)seed;
        var reference = ReferenceRouter.FromDegrees(s, t);
        reference.BuildCandidates(routeSeed, false);
        int[] expected = reference.Select(k, routeSeed, scores, caps, limits);
        var options = new RouterOptions { Seed = routeSeed, Scores = scores, TargetCapacities = caps, SourceLimits = limits };
        return Router.RouteDegrees(s, t, k, options).Routes.SequenceEqual(expected)
            && Router.RouteDegrees(s, t, k, options with { Kernel = RouterKernel.BitParallel }).Routes.SequenceEqual(expected);
    }

    [Property(MaxTest = 60)]
    public bool ExplicitPermutations_EqualReference(int seed, bool withRows)
    {
        var p = Problem.Random(seed);
        var rng = new Random(~seed);
        int[] Shuffled(int n) => Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var given = new PhasePermutations(Shuffled(p.C), Shuffled(p.R),
            withRows ? Shuffled(p.R) : null, withRows ? Shuffled(p.C) : null);
        var reference = p.Reference();
        reference.BuildCandidates(p.Seed, false, given);
        return AllEntryPointsGive(reference.Select(p.K, p.Seed), p, new RouterOptions { Seed = p.Seed, Permutations = given });
    }

    [Fact]
    public void SeedDerivedPermutations_PassedExplicitly_GiveTheSameRoutes()
    {
        var p = Problem.Random(7, 120);
        var options = new RouterOptions { Seed = 99, PermuteRows = true };
        var explicitOptions = options with { Permutations = PhasePermutations.FromSeed(99, p.R, p.C, permuteRows: true) };
        Assert.Equal(Router.Route(p.SourceMatrix, p.TargetMatrix, p.K, options).ToArray(),
            Router.Route(p.SourceMatrix, p.TargetMatrix, p.K, explicitOptions).ToArray());
    }

    [Theory]
    [InlineData(1500, 2100, false)]
    [InlineData(2100, 1500, true)]
    public void LargeRectangular_KernelsAgree_OnBothScanSides(int r, int c, bool permuteRows)
    {
        // Full source rows with sparse targets take the line side; sparse sources take the arc side.
        var rng = new Random(r + c);
        int[] s = Enumerable.Range(0, r).Select(i => i % 3 == 0 ? c : rng.Next(c + 1)).ToArray();
        int[] t = Enumerable.Range(0, c).Select(j => j % 5 == 0 ? r : rng.Next(4)).ToArray();
        var options = new RouterOptions { Seed = 5, PermuteRows = permuteRows };
        var arc = Router.RouteDegrees(s, t, 17, options with { Kernel = RouterKernel.ArcScan });
        var bits = Router.RouteDegrees(s, t, 17, options with { Kernel = RouterKernel.BitParallel });
        Assert.Equal(bits.ToArray(), arc.ToArray());
        Assert.Equal(Router.CandidatesFromDegrees(s, t, options with { Kernel = RouterKernel.BitParallel }),
            Router.CandidatesFromDegrees(s, t, options with { Kernel = RouterKernel.ArcScan }));
    }

    private static bool AllEntryPointsGive(int[] expected, Problem p, RouterOptions options)
    {
        foreach (RouterKernel kernel in new[] { RouterKernel.ArcScan, RouterKernel.BitParallel, RouterKernel.Sweep, RouterKernel.Auto })
        {
            var o = options with { Kernel = kernel };
            if (!Router.Route(p.SourceMatrix, p.TargetMatrix, p.K, o).Routes.SequenceEqual(expected)
                || !Router.RouteDegrees(p.SourceDegrees, p.TargetDegrees, p.K, o).Routes.SequenceEqual(expected)
                || !Router.Route(Problem.ToBytes(p.S), Problem.ToBytes(p.T), p.K, o).Routes.SequenceEqual(expected))
            {
                return false;
            }
        }

        return true;
    }
}
