namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The smallest capacity whose drop rate stays within a target, for a recorded demand.</summary>
/// <param name="TargetDropRate">The drop rate allowed (0 = no slot dropped).</param>
/// <param name="Capacity">Smallest capacity per expert meeting the target.</param>
/// <param name="CapacityFactor">The capacity factor that gives that capacity: <c>Capacity · E / (tokens · k)</c>.</param>
/// <param name="DropRate">The drop rate that capacity gives on the recorded demand.</param>
public sealed record CapacityRequirement(double TargetDropRate, int Capacity, double CapacityFactor, double DropRate);
