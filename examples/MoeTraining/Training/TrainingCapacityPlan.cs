using PhaseRouter.Statistics;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Capacity planning from the loads recorded in training (the <c>capacityPlan</c> of summary.json).</summary>
public sealed record TrainingCapacityPlan
{
    /// <summary>Which planner produced the figures.</summary>
    public required string Source { get; init; }

    /// <summary>Experts E.</summary>
    public int Experts { get; init; }

    /// <summary>Slots per training step of one MoE block (tokens · k).</summary>
    public long SlotsPerStep { get; init; }

    /// <summary>Capacity factor the runs trained with.</summary>
    public double CapacityFactor { get; init; }

    /// <summary>Per-expert p50/p99 load (and demand) of each gate.</summary>
    public required IReadOnlyList<GateLoadProfile> Gates { get; init; }

    /// <summary>
    /// Capacity (factor) softmax routing needs for each target drop rate (0%, 1%), from the softmax run's uncapped
    /// demand per expert per step over the whole run; empty without a softmax run.
    /// </summary>
    public required IReadOnlyList<CapacityRequirement> SoftmaxRequirements { get; init; }

    /// <summary>
    /// The same, from the second half of the softmax run's steps only (after the gate has settled), which is what a
    /// deployed model's steady state would need; empty without a softmax run.
    /// </summary>
    public required IReadOnlyList<CapacityRequirement> SoftmaxSteadyStateRequirements { get; init; }

    /// <summary>The headroom the phase gate leaves; null without a phase run.</summary>
    public PhaseHeadroom? PhaseHeadroom { get; init; }
}
