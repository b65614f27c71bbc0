using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Reference;
using PhaseRouter.Engine;
using PhaseRouter.Kernels;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>
/// The candidate sweep (<see cref="RouterKernel.Sweep"/>) against the step-by-step reference of SPEC §1 and against
/// the per-source kernel: its raw pairs, and the routes it deals back to the sources (limits, row permutations,
/// Feistel permutations, the padded and buffer destinations, bitmap words with more marked bits than one unrolled step,
/// every emission of marked bits).
/// </summary>
public class CandidateSweepTests
{
    [Property(MaxTest = 150)]
    public bool Pairs_AreExactlyTheReferenceCandidates(int seed, bool permuteRows)
    {
        var p = Problem.Random(seed, 150);
        var reference = p.Reference();
        reference.BuildCandidates(p.Seed, permuteRows);
        PhasePermutations perms = PhasePermutations.FromSeed(p.Seed, p.R, p.C, permuteRows);
        foreach (CandidateSweep.Emission emission in SupportedEmissions)
        {
            bool[,] swept = SweptCandidates(p.SourceDegrees, p.TargetDegrees, perms, emission);
            for (int i = 0; i < p.R; i++)
            {
                for (int j = 0; j < p.C; j++)
                {
                    if (swept[i, j] != reference.Cand[i, j])
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool EveryEmission_RoutesAsThePerSourceKernel(int seed, bool permuteRows, bool withLimits)
    {
        // Small random shapes make the automatic choice take a word-by-word emission; here every emission runs, on
        // degree-0 and degree-C sources alike, with and without limits below the candidate counts.
        var p = Problem.Random(seed, 150);
        var rng = new Random(seed);
        int[]? limits = withLimits ? Enumerable.Range(0, p.R).Select(_ => rng.Next(0, p.K + 1)).ToArray() : null;
        var options = new RouterOptions { Seed = p.Seed, PermuteRows = permuteRows, SourceLimits = limits, Kernel = RouterKernel.ArcScan };
        RoutingResult expected = Router.RouteDegrees(p.SourceDegrees, p.TargetDegrees, p.K, options);
        PhasePermutations perms = PhasePermutations.FromSeed(p.Seed, p.R, p.C, permuteRows);
        foreach (CandidateSweep.Emission emission in SupportedEmissions)
        {
            var workspace = new LayoutWorkspace();
            var layout = new PhaseLayout();
            layout.Reset(p.SourceDegrees, p.TargetDegrees, perms.SourceColumns, perms.TargetColumns, perms.SourceRows, perms.TargetRows,
                workspace, arcTables: false);
            var output = new CompactOutput(p.R, p.C, Poisoned(p.R, p.R * p.C));
            CandidateSweep.Route(layout, p.K, limits, p.Seed, output, workspace, emission);
            int routes = output.Offsets[p.R];
            if (!output.Offsets.AsSpan(0, p.R + 1).SequenceEqual(expected.RouteOffsets)
                || !output.Targets.AsSpan(0, routes).SequenceEqual(expected.RouteTargets)
                || !output.Loads.AsSpan().SequenceEqual(expected.TargetLoads))
            {
                return false;
            }
        }

        return true;
    }

    [Theory]
    [InlineData(20000, 20000, 400, 400)] // the automatic choice at two thirds of a marked bit a word and arcs of 200: blocks
    [InlineData(9000, 12000, 300, 9000)] // long target arcs (many blocks per arc, many wrapping), a few full sources
    [InlineData(20000, 20000, 40, 40)] // short arcs, most targets without a pair: word by word, dealt group by group
    public void SparseShapes_EqualPerSourceKernel(int r, int c, int maxSourceDegree, int maxTargetDegree)
    {
        var rng = new Random(r + c);
        int[] s = Enumerable.Range(0, r).Select(i => i % 997 == 0 ? c : rng.Next(maxSourceDegree + 1)).ToArray();
        int[] t = Enumerable.Range(0, c).Select(_ => rng.Next(maxTargetDegree + 1)).ToArray();
        var options = new RouterOptions { Seed = 21 };
        RoutingResult perSource = Router.RouteDegrees(s, t, 64, options with { Kernel = RouterKernel.ArcScan });
        RoutingResult swept = Router.RouteDegrees(s, t, 64, Poisoned(r, perSource.RouteTargets.Length), options with { Kernel = RouterKernel.Sweep });
        Assert.Equal(perSource.RouteOffsets.ToArray(), swept.RouteOffsets.ToArray());
        Assert.Equal(perSource.RouteTargets.ToArray(), swept.RouteTargets.ToArray());
        Assert.Equal(perSource.TargetLoads.ToArray(), swept.TargetLoads.ToArray());
    }

    [Property(MaxTest = 150)]
    public bool Routes_EqualReference_WithLimits(int seed, bool permuteRows)
    {
        // Limits below the candidate counts take the staged path (select per source); the rest deal straight into place.
        var p = Problem.Random(seed, 150);
        var rng = new Random(seed);
        int[] limits = Enumerable.Range(0, p.R).Select(_ => rng.Next(0, p.K + 1)).ToArray();
        var reference = p.Reference();
        reference.BuildCandidates(p.Seed, permuteRows);
        int[] expected = reference.Select(p.K, p.Seed, null, null, limits);
        var options = new RouterOptions { Seed = p.Seed, PermuteRows = permuteRows, SourceLimits = limits, Kernel = RouterKernel.Sweep };
        RoutingResult swept = Router.RouteDegrees(p.SourceDegrees, p.TargetDegrees, p.K, options);
        return swept.Routes.SequenceEqual(expected) && LoadsMatchRoutes(swept);
    }

    [Property(MaxTest = 80)]
    public bool Feistel_EqualsPerSourceKernel(int seed, bool permuteRows)
    {
        var p = Problem.Random(seed, 150);
        var options = new RouterOptions { Seed = p.Seed, PermuteRows = permuteRows, PermutationMethod = PermutationMethod.Feistel };
        int[] perSource = Router.RouteDegrees(p.SourceDegrees, p.TargetDegrees, p.K, options with { Kernel = RouterKernel.ArcScan }).ToArray();
        return Router.RouteDegrees(p.SourceDegrees, p.TargetDegrees, p.K, options with { Kernel = RouterKernel.Sweep }).ToArray()
            .SequenceEqual(perSource);
    }

    [Theory]
    [InlineData(700, 60, 60, 700)] // every source covers every position, every target accepts all: 64 marked bits a word
    [InlineData(2000, 40, 3, 2000)] // sparse covering (four bits a step) with full target arcs: words beyond four bits
    [InlineData(3000, 3000, 0, 0)] // random degrees, both ring sizes past 64
    [InlineData(130, 4000, 0, 0)] // short R-ring: most target arcs wrap
    public void LargeShapes_EqualPerSourceKernel_OnEveryDestination(int r, int c, int sourceDegree, int targetDegree)
    {
        var rng = new Random(r * 31 + c);
        int[] s = Enumerable.Range(0, r).Select(_ => sourceDegree > 0 ? sourceDegree : rng.Next(c + 1)).ToArray();
        int[] t = Enumerable.Range(0, c).Select(_ => targetDegree > 0 ? targetDegree : rng.Next(r + 1)).ToArray();
        const int k = 37;
        var options = new RouterOptions { Seed = 11 };
        RoutingResult perSource = Router.RouteDegrees(s, t, k, options with { Kernel = RouterKernel.ArcScan });
        RoutingResult swept = Router.RouteDegrees(s, t, k, options with { Kernel = RouterKernel.Sweep });
        var padded = new int[r * k];
        Router.RouteDegrees(s, t, k, padded, options with { Kernel = RouterKernel.Sweep });
        var buffers = new RouteBuffers();
        RoutingResult buffered = Router.RouteDegrees(s, t, k, buffers, options with { Kernel = RouterKernel.Sweep });

        Assert.Equal(perSource.RouteOffsets.ToArray(), swept.RouteOffsets.ToArray());
        Assert.Equal(perSource.RouteTargets.ToArray(), swept.RouteTargets.ToArray());
        Assert.Equal(perSource.TargetLoads.ToArray(), swept.TargetLoads.ToArray());
        Assert.Equal(perSource.ToArray(), padded);
        Assert.Equal(perSource.RouteTargets.ToArray(), buffered.RouteTargets.ToArray());
        Assert.Equal(perSource.TargetLoads.ToArray(), buffered.TargetLoads.ToArray());
    }

    [Fact]
    public void Auto_PicksTheSweep_AtTheOriginalsShapes()
    {
        // SPEC §5 shapes: about 16 candidates per source out of a few hundred arc positions.
        var rng = new Random(5);
        int[] s = Enumerable.Range(0, 4096).Select(_ => rng.Next(1, 513)).ToArray();
        int[] t = Enumerable.Range(0, 4096).Select(_ => rng.Next(1, 513)).ToArray();
        Assert.True(CandidateSweep.Pays(4096, 4096, s.Sum(x => (long)x), t.Sum(x => (long)x)));
    }

    [Fact]
    public void CompactSteadyState_AllocatesNothing()
    {
        var rng = new Random(6);
        int[] s = Enumerable.Range(0, 2048).Select(_ => rng.Next(1, 257)).ToArray();
        int[] t = Enumerable.Range(0, 2048).Select(_ => rng.Next(1, 257)).ToArray();
        var buffers = new RouteBuffers();
        var options = new RouterOptions { Seed = 3, Kernel = RouterKernel.Sweep };
        for (int warm = 0; warm < 40; warm++)
        {
            Router.RouteDegrees(s, t, 256, buffers, options);
        }

        // A per-call allocation shows in every window; the runtime's own one-off work on this thread (a late JIT tier
        // or OSR transition, seen once with DOTNET_EnableHWIntrinsic=0, and once in all three of three windows while
        // other test classes kept the runtime jitting) can show in some. So: windows until one is quiet, for at most
        // two seconds; one-off work runs out, a per-call allocation never does.
        long quietest = long.MaxValue;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int window = 0; quietest > 0 && (window < 3 || clock.Elapsed.TotalSeconds < 2); window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int call = 0; call < 5; call++)
            {
                Router.RouteDegrees(s, t, 256, buffers, options);
            }

            quietest = Math.Min(quietest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, quietest);
    }

    /// <summary>Buffers whose every target slot holds -1, so that a slot the routing never writes shows.</summary>
    private static RouteBuffers Poisoned(int sources, int routes)
    {
        var buffers = new RouteBuffers(sources, routes);
        buffers.Targets(routes).AsSpan().Fill(-1);
        return buffers;
    }

    /// <summary>The emissions this machine runs (the vector ones need AVX-512; CI also runs these tests without it).</summary>
    private static CandidateSweep.Emission[] SupportedEmissions =>
        Enum.GetValues<CandidateSweep.Emission>().Where(e => e != CandidateSweep.Emission.Auto && CandidateSweep.IsSupported(e)).ToArray();

    /// <summary>The candidate matrix read off the sweep's raw pairs (target by position, source by place).</summary>
    private static bool[,] SweptCandidates(int[] s, int[] t, PhasePermutations perms, CandidateSweep.Emission emission)
    {
        var workspace = new LayoutWorkspace();
        var layout = new PhaseLayout();
        layout.Reset(s, t, perms.SourceColumns, perms.TargetColumns, perms.SourceRows, perms.TargetRows, workspace, arcTables: false);
        int[] positionStart = new int[t.Length + 1];
        CandidateSweep.Sweep(layout, workspace, positionStart, emission);
        int[] sourceAt = new int[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            sourceAt[perms.TargetColumns[i]] = i;
        }

        var targetAt = new int[t.Length];
        for (int j = 0; j < t.Length; j++)
        {
            targetAt[perms.SourceColumns[j]] = j;
        }

        var cand = new bool[s.Length, t.Length];
        for (int position = 0; position < t.Length; position++)
        {
            int j = targetAt[position];
            for (int e = positionStart[position]; e < positionStart[position + 1]; e++)
            {
                int place = workspace.SweepPairs![e] % s.Length;
                Assert.False(cand[sourceAt[place], j], "a pair found twice");
                cand[sourceAt[place], j] = true;
            }
        }

        return cand;
    }

    private static bool LoadsMatchRoutes(RoutingResult result)
    {
        var loads = new int[result.Targets];
        foreach (int j in result.RouteTargets)
        {
            loads[j]++;
        }

        return loads.AsSpan().SequenceEqual(result.TargetLoads);
    }
}
