using PhaseRouter.Evaluation.Inputs;
using PhaseRouter.Evaluation.Suites;

namespace PhaseRouter.Evaluation.Tests;

public class AdversarialTests
{
    [Fact]
    public void TwoPhase_HashCollapses_PhaseIsUnmoved()
    {
        // The original's construction at N = 4096, k = 32: 128 buckets of 32 columns cover at most all 4096 targets.
        VsHashSuite.TwoPhaseRow row = VsHashSuite.RunTwoPhase(4096, 32, 42, plots: null);

        // Phase 2's S and T are k-regular like phase 1's and the seed is the same: the operator, which sees only
        // degrees, routes exactly as in phase 1, whatever phase 1's routes made of S.
        Assert.Equal(row.PhasePhase1, row.PhasePhase2);

        // The hash router's rows of a bucket share one candidate pool and pile onto it.
        Assert.True(row.HashPhase2.Max > 3 * row.PhasePhase2.Max,
            $"hash phase-2 max load {row.HashPhase2.Max} vs phase {row.PhasePhase2.Max}");
        Assert.True(row.HashPhase2.Skew > 3 * row.HashPhase1.Skew,
            $"hash skew phase 2 {row.HashPhase2.Skew:F2} vs phase 1 {row.HashPhase1.Skew:F2}");
    }

    [Fact]
    public void AdversarialSources_GiveRowsOfABucket_TheSameColumns()
    {
        BitMatrix s1 = InputFactory.UniformDegree(256, 16, 1);
        BitMatrix t1 = InputFactory.UniformDegree(256, 16, 2);
        RoutingResult phase1 = Router.Route(s1, t1, 16, new RouterOptions { Seed = 3 });
        BitMatrix s2 = AdversarialInput.Build(phase1, 16, 123, buckets: 4);
        var distinct = new HashSet<string>();
        for (int i = 0; i < s2.Rows; i++)
        {
            Assert.Equal(16, s2.RowDegree(i));
            distinct.Add(string.Join(',', s2.Row(i).ToArray()));
        }

        Assert.InRange(distinct.Count, 1, 4);
    }
}
