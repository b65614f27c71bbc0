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

    /// <summary>Each gate over the seeds: every metric as mean ± std, in the order trained.</summary>
    public IReadOnlyList<GateAggregate> Gates { get; init; } = [];

    /// <summary>One entry per gate and seed, in the order trained.</summary>
    public required IReadOnlyList<RunResult> Runs { get; init; }

    /// <summary>Capacity planning from the recorded loads of the runs with seed <see cref="PlanSeed"/>.</summary>
    public required TrainingCapacityPlan CapacityPlan { get; init; }

    /// <summary>The seed whose runs the capacity plan and the plots show (the first).</summary>
    public int PlanSeed { get; init; }

    /// <summary>Wall time of the whole experiment (data, all runs), in seconds.</summary>
    public double TotalSeconds { get; init; }

    /// <summary>Why writing the plots failed (the run then exits with an error); null when they were written.</summary>
    public string? PlotError { get; init; }
}
