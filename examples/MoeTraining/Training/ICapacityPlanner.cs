namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// Capacity planning over loads recorded per training step (one <c>int[E]</c> per step).
/// The example's adapter point to PhaseRouter.Core's statistics (<c>EstimateExpertCapacity</c>).
/// </summary>
public interface ICapacityPlanner
{
    /// <summary>Where the figures come from, for the report.</summary>
    string Source { get; }

    /// <summary>Mean, p50, p99 and max load of each expert over the steps.</summary>
    IReadOnlyList<ExpertLoadStats> PerExpert(IReadOnlyList<int[]> loadsPerStep);

    /// <summary>
    /// The smallest per-expert capacity that keeps dropped slots / demanded slots within
    /// <paramref name="targetDropRate"/> for the uncapped demand recorded per step.
    /// </summary>
    CapacityRequirement RequiredCapacity(IReadOnlyList<int[]> demandPerStep, int slotsPerStep, double targetDropRate);
}
