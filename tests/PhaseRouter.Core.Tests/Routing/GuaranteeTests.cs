using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Reference;

namespace PhaseRouter.Core.Tests.Routing;

/// <summary>The guarantees of SPEC §1, checked on the library's own output.</summary>
public class GuaranteeTests
{
    [Property(MaxTest = 200)]
    public void FanOut_AtMostK_NoDuplicates_InRange_AndCandidates(int seed, bool permuteRows)
    {
        var p = Problem.Random(seed);
        var options = new RouterOptions { Seed = p.Seed, PermuteRows = permuteRows };
        RoutingResult result = Router.Route(p.SourceMatrix, p.TargetMatrix, p.K, options);
        BitMatrix cand = Router.Candidates(p.SourceMatrix, p.TargetMatrix, options);
        long active = 0;
        var loads = new int[p.C];
        for (int i = 0; i < p.R; i++)
        {
            // The compact row holds the chosen targets only; the padded view is that row, then -1 to k slots.
            int[] chosen = result.RoutesOf(i).ToArray();
            int count = chosen.Length;
            Assert.InRange(count, 0, p.K);
            Assert.Equal(offsetsOf(result, i), (result.RouteOffsets[i], result.RouteOffsets[i + 1] - result.RouteOffsets[i]));
            int[] padded = result.Routes.Slice(i * p.K, p.K).ToArray();
            Assert.Equal(chosen.Concat(Enumerable.Repeat(-1, p.K - count)), padded);
            Assert.Equal(chosen.Length, chosen.Distinct().Count());
            Assert.All(chosen, j => Assert.InRange(j, 0, p.C - 1));
            Assert.All(chosen, j => Assert.True(cand[i, j], $"({i},{j}) is not a candidate"));
            Assert.Equal(chosen.OrderBy(j => j), chosen);

            // Every candidate is taken when there are no more than k of them.
            int candidates = Enumerable.Range(0, p.C).Count(j => cand[i, j]);
            Assert.Equal(Math.Min(p.K, candidates), count);
            active += count;
            foreach (int j in chosen)
            {
                loads[j]++;
            }
        }

        Assert.Equal(active, result.ActiveRoutes);
        Assert.Equal(active, result.RouteTargets.Length);
        Assert.Equal(loads, result.TargetLoads.ToArray());
        Assert.Equal(0, result.SlotsUnfilledByCapacity);

        static (int Start, int Count) offsetsOf(RoutingResult r, int i)
        {
            int start = 0;
            for (int x = 0; x < i; x++)
            {
                start += r.RoutesOf(x).Length;
            }

            return (start, r.RoutesOf(i).Length);
        }
    }

    [Theory]
    [InlineData(37, 64, 0UL)]
    [InlineData(200, 65, 3UL)]
    [InlineData(129, 1000, 11UL)]
    public void RotatedColumns_HaveFloorOrCeilingOfTheMeanLoad(int r, int c, ulong seed)
    {
        // With every target accepting every source, T_fin is all ones and Cand = S_shuf, a column permutation of
        // S_rot: its column sums are the low-discrepancy counts ⌊ΣS/C⌋ or ⌈ΣS/C⌉.
        var rng = new Random(r * c);
        int[] s = Enumerable.Range(0, r).Select(_ => rng.Next(c + 1)).ToArray();
        int[] t = Enumerable.Repeat(r, c).ToArray();
        BitMatrix cand = Router.CandidatesFromDegrees(s, t, new RouterOptions { Seed = seed });
        long total = s.Sum(x => (long)x);
        long floor = total / c;
        long ceiling = (total + c - 1) / c;
        for (int j = 0; j < c; j++)
        {
            int column = Enumerable.Range(0, r).Count(i => cand[i, j]);
            Assert.InRange(column, floor, ceiling);
        }
    }

    [Fact]
    public void ReferenceRotation_IsLowDiscrepancy()
    {
        var p = Problem.Random(123, 90);
        var reference = p.Reference();
        reference.BuildCandidates(1, permuteRows: true);
        long total = p.SourceDegrees.Sum();
        for (int j = 0; j < p.C; j++)
        {
            int column = Enumerable.Range(0, p.R).Count(i => reference.SRot[i, j]);
            Assert.InRange(column, total / p.C, (total + p.C - 1) / p.C);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 70)]
    [InlineData(70, 1)]
    [InlineData(64, 64)]
    [InlineData(65, 63)]
    public void EdgeShapes_EmptyAndFullDegrees_AllK(int r, int c)
    {
        foreach (int[] s in new[] { new int[r], Enumerable.Repeat(c, r).ToArray() })
        {
            foreach (int[] t in new[] { new int[c], Enumerable.Repeat(r, c).ToArray() })
            {
                foreach (int k in new[] { 1, c, c + 5 })
                {
                    var reference = ReferenceRouter.FromDegrees(s, t);
                    reference.BuildCandidates(9, false);
                    int[] expected = reference.Select(k, 9);
                    foreach (RouterKernel kernel in new[] { RouterKernel.ArcScan, RouterKernel.BitParallel, RouterKernel.Sweep, RouterKernel.Auto })
                    {
                        RoutingResult result = Router.RouteDegrees(s, t, k, new RouterOptions { Seed = 9, Kernel = kernel });
                        Assert.Equal(expected, result.ToArray());
                    }

                    // Full both ways: every pair is a candidate, so each source fills min(k, C) slots.
                    bool full = s.All(x => x == c) && t.All(x => x == r);
                    bool empty = s.All(x => x == 0) || t.All(x => x == 0);
                    long active = Router.RouteDegrees(s, t, k).ActiveRoutes;
                    if (full)
                    {
                        Assert.Equal((long)r * Math.Min(k, c), active);
                    }

                    if (empty)
                    {
                        Assert.Equal(0, active);
                    }
                }
            }
        }
    }

    [Fact]
    public void EmptyProblems_GiveEmptyResults()
    {
        RoutingResult none = Router.RouteDegrees([], [], 3);
        Assert.Equal(0, none.Sources);
        Assert.Equal(0, none.ActiveRoutes);
        Assert.Equal(1.0, none.FillRatio);

        RoutingResult noTargets = Router.RouteDegrees([0, 0], [], 2);
        Assert.Equal([-1, -1, -1, -1], noTargets.ToArray());
    }
}
