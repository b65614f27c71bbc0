using MathNet.Numerics.Statistics;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// The planner used until PhaseRouter.Core's statistics are available: quantiles from MathNet.Numerics
/// (<see cref="Statistics.Quantile"/>) and an exact count of the slots a capacity would drop.
/// </summary>
public sealed class QuantileCapacityPlanner : ICapacityPlanner
{
    /// <inheritdoc />
    public string Source => "MathNet.Numerics quantiles over the recorded per-step loads";

    /// <inheritdoc />
    public IReadOnlyList<ExpertLoadStats> PerExpert(IReadOnlyList<int[]> loadsPerStep)
    {
        ArgumentNullException.ThrowIfNull(loadsPerStep);
        if (loadsPerStep.Count == 0)
        {
            return [];
        }

        int experts = loadsPerStep[0].Length;
        var result = new ExpertLoadStats[experts];
        for (int e = 0; e < experts; e++)
        {
            var series = loadsPerStep.Select(l => (double)l[e]).ToArray();
            result[e] = new ExpertLoadStats(
                e,
                series.Mean(),
                series.Quantile(0.50),
                series.Quantile(0.99),
                (int)series.Maximum());
        }

        return result;
    }

    /// <inheritdoc />
    public CapacityRequirement RequiredCapacity(IReadOnlyList<int[]> demandPerStep, int slotsPerStep, double targetDropRate)
    {
        ArgumentNullException.ThrowIfNull(demandPerStep);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotsPerStep);
        ArgumentOutOfRangeException.ThrowIfNegative(targetDropRate);
        if (demandPerStep.Count == 0)
        {
            return new CapacityRequirement(targetDropRate, 0, 0, 0);
        }

        int experts = demandPerStep[0].Length;
        long total = demandPerStep.Sum(d => d.Sum(v => (long)v));
        int hi = demandPerStep.Max(d => d.Max());
        int lo = 0;

        // Dropped slots fall as the capacity grows, so the smallest capacity meeting the target is found by bisection.
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (DropRate(demandPerStep, mid, total) <= targetDropRate)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return new CapacityRequirement(
            targetDropRate,
            lo,
            (double)lo * experts / slotsPerStep,
            DropRate(demandPerStep, lo, total));
    }

    /// <summary>Dropped / demanded slots when every expert holds at most <paramref name="capacity"/> tokens per step.</summary>
    public static double DropRate(IReadOnlyList<int[]> demandPerStep, int capacity, long totalDemand)
    {
        ArgumentNullException.ThrowIfNull(demandPerStep);
        if (totalDemand == 0)
        {
            return 0;
        }

        long dropped = 0;
        foreach (var step in demandPerStep)
        {
            foreach (var d in step)
            {
                dropped += Math.Max(0, d - capacity);
            }
        }

        return (double)dropped / totalDemand;
    }
}
