using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Reference;
using PhaseRouter.Gating;

namespace PhaseRouter.Core.Tests.Statistics;

/// <summary>The router's per-target capacities and score ranking (SPEC §2), as the capacity planning relies on them.</summary>
public class CapacityRoutingTests
{
    private static float[] Adversarial(int rows, int columns, int seed)
    {
        // Every source prefers target 0 by far; the rest of its row is random.
        var rng = new Random(seed);
        var scores = new float[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            scores[i * columns] = 1e6f;
            for (int j = 1; j < columns; j++)
            {
                scores[i * columns + j] = (float)rng.NextDouble();
            }
        }

        return scores;
    }

    [Fact]
    public void Capacities_AreNeverExceeded_UnderAdversarialScores()
    {
        const int rows = 4096;
        const int columns = 64;
        const int k = 2;
        int[] s = Enumerable.Repeat(columns, rows).ToArray();
        int[] t = Enumerable.Repeat(rows, columns).ToArray();
        int capacity = ExpertCapacity.Of(1.25, rows, k, columns);
        int[] caps = Enumerable.Repeat(capacity, columns).ToArray();
        RoutingResult result = Router.RouteDegrees(s, t, k,
            new RouterOptions { Seed = 1, Scores = Adversarial(rows, columns, 1), TargetCapacities = caps });

        Assert.All(result.TargetLoads.ToArray(), load => Assert.InRange(load, 0, capacity));
        Assert.Equal(capacity, result.TargetLoads[0]); // everyone's favourite is full, not overfull
        Assert.Equal(caps, result.TargetCapacities.ToArray());
        Assert.Equal(0, result.UnfilledSlots); // 1.25× the slots in total: every source still finds two
    }

    [Fact]
    public void Capacities_AreFullyUsed_WhenDemandAllows()
    {
        // Capacities add up to exactly R·k, k divides C, and every source ranks the targets alike (0 first, then 1, …):
        // sources fill the targets k at a time, so greedy serving fills every slot and every target. (With rankings
        // that differ, the last sources can find the spare capacity on fewer than k targets; the property below
        // covers that case: no capacity a source could have used is left.)
        const int rows = 1024;
        const int columns = 32;
        const int k = 4;
        int[] caps = Enumerable.Repeat(rows * k / columns, columns).ToArray();
        float[] scores = Enumerable.Range(0, rows * columns).Select(x => x % columns == 0 ? 1e6f : columns - x % columns).ToArray();
        RoutingResult result = Router.RouteDegrees(Enumerable.Repeat(columns, rows).ToArray(), Enumerable.Repeat(rows, columns).ToArray(),
            k, new RouterOptions { Seed = 2, Scores = scores, TargetCapacities = caps });
        Assert.Equal(caps, result.TargetLoads.ToArray());
        Assert.Equal(1.0, result.FillRatio);
        Assert.Equal(0, result.SlotsUnfilledByCapacity);
    }

    /// <summary>
    /// No capacity is wasted: a source that got fewer routes than it could (min of its limit and its candidates) found
    /// every candidate it did not take full. With scores, its routes are best first.
    /// </summary>
    [Property(MaxTest = 100)]
    public bool CappedRouting_IsMaximal_AndBestFirst(int seed, bool withScores)
    {
        var p = Problem.Random(seed);
        var rng = new Random(seed);
        float[]? scores = withScores ? p.RandomScores(seed) : null;
        int[] caps = Enumerable.Range(0, p.C).Select(_ => rng.Next(0, 6)).ToArray();
        var options = new RouterOptions { Seed = p.Seed, Scores = scores, TargetCapacities = caps };
        RoutingResult result = Router.RouteDegrees(p.SourceDegrees, p.TargetDegrees, p.K, options);
        BitMatrix cand = Router.CandidatesFromDegrees(p.SourceDegrees, p.TargetDegrees, options);
        int[] loads = result.TargetLoads.ToArray();
        long lost = 0;
        for (int i = 0; i < p.R; i++)
        {
            int[] routes = result.RoutesOf(i).ToArray().Where(j => j >= 0).ToArray();
            int[] candidates = Enumerable.Range(0, p.C).Where(j => cand[i, j]
                && (scores is null || scores[i * p.C + j] != float.NegativeInfinity)).ToArray();
            if (routes.Distinct().Count() != routes.Length || routes.Any(j => !cand[i, j]))
            {
                return false;
            }

            int reachable = Math.Min(p.K, candidates.Length);
            if (routes.Length < reachable && candidates.Except(routes).Any(j => loads[j] < caps[j]))
            {
                return false;
            }

            lost += reachable - routes.Length;
            if (scores is not null)
            {
                for (int r = 1; r < routes.Length; r++)
                {
                    float before = scores[i * p.C + routes[r - 1]];
                    float after = scores[i * p.C + routes[r]];
                    if (before < after || (before == after && routes[r - 1] > routes[r]))
                    {
                        return false;
                    }
                }
            }
        }

        return loads.Zip(caps).All(x => x.First <= x.Second) && result.SlotsUnfilledByCapacity == lost;
    }

    [Property(MaxTest = 100)]
    public bool ScoreRanking_TakesTheTopKCandidates_BestFirst(int seed)
    {
        var p = Problem.Random(seed);
        float[] scores = p.RandomScores(seed);
        var options = new RouterOptions { Seed = p.Seed, Scores = scores };
        RoutingResult result = Router.RouteDegrees(p.SourceDegrees, p.TargetDegrees, p.K, options);
        BitMatrix cand = Router.CandidatesFromDegrees(p.SourceDegrees, p.TargetDegrees, options);
        for (int i = 0; i < p.R; i++)
        {
            int[] expected = Enumerable.Range(0, p.C)
                .Where(j => cand[i, j] && scores[i * p.C + j] != float.NegativeInfinity)
                .OrderByDescending(j => scores[i * p.C + j]).ThenBy(j => j).Take(p.K).ToArray();
            int[] slots = result.RoutesOf(i).ToArray();
            if (!slots.Take(expected.Length).SequenceEqual(expected) || slots.Skip(expected.Length).Any(j => j != -1))
            {
                return false;
            }
        }

        return true;
    }
}
