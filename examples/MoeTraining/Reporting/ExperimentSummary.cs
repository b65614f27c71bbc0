using PhaseRouter.Examples.MoeTraining.Training;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>Everything summary.json holds.</summary>
public sealed record ExperimentSummary
{
    /// <summary><c>fashion-mnist</c> or <c>synthetic</c>.</summary>
    public required string Dataset { get; init; }

    /// <summary>A one-line description of the data (source, sizes).</summary>
    public required string DatasetDescription { get; init; }

    /// <summary>The settings of the experiment.</summary>
    public required ExperimentSettings Settings { get; init; }

    /// <summary>One entry per gate, in the order trained.</summary>
    public required IReadOnlyList<RunResult> Runs { get; init; }

    /// <summary>Capacity planning from the recorded loads.</summary>
    public required TrainingCapacityPlan CapacityPlan { get; init; }

    /// <summary>Wall time of the whole experiment (data, all runs), in seconds.</summary>
    public double TotalSeconds { get; init; }
}
