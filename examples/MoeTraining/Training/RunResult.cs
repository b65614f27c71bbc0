using System.Text.Json.Serialization;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// The outcome of training and testing one gate with one seed; the public properties are the JSON of a run. With
/// several MoE blocks, rates are over the slots (or tokens) of all blocks, MaxVio figures are means over the blocks
/// and router time is summed over them.
/// </summary>
public sealed record RunResult
{
    /// <summary>Gate name (see <see cref="GateCatalog"/>).</summary>
    public required string Gate { get; init; }

    /// <summary>The seed of the run.</summary>
    public int Seed { get; init; }

    /// <summary>The phase gate's policy (<c>Spill</c>, <c>Menu</c>, …); null for the other gates.</summary>
    public string? Policy { get; init; }

    /// <summary>Test accuracy.</summary>
    public double TestAccuracy { get; init; }

    /// <summary>Mean training loss of the last steps (see <see cref="FinalLossWindow"/>).</summary>
    public double FinalLoss { get; init; }

    /// <summary>Steps averaged into <see cref="FinalLoss"/>.</summary>
    public int FinalLossWindow { get; init; }

    /// <summary>Mean tokens per expert per full test batch (mean over the MoE blocks).</summary>
    public double MeanLoad { get; init; }

    /// <summary>Largest expert load in the test pass (any block).</summary>
    public int MaxLoad { get; init; }

    /// <summary>Capacity per expert of a full test batch.</summary>
    public int Capacity { get; init; }

    /// <summary>Dropped slots / slots in the test pass.</summary>
    public double DroppedSlotRate { get; init; }

    /// <summary>Dropped slots / slots during training.</summary>
    public double TrainDroppedSlotRate { get; init; }

    /// <summary>Spilled slots (served by an expert outside the token's top-k) / slots during training.</summary>
    public double TrainSpilledSlotRate { get; init; }

    /// <summary>Spilled slots / slots in the test pass.</summary>
    public double SpilledSlotRate { get; init; }

    /// <summary>Tokens without any expert / tokens during training.</summary>
    public double TrainNoExpertRate { get; init; }

    /// <summary>Tokens without any expert / tokens in the test pass.</summary>
    public double NoExpertRate { get; init; }

    /// <summary>MaxVio_batch: mean over training steps (and MoE blocks) of max_e load_e / mean load − 1 on the processed loads.</summary>
    public double MaxVioBatch { get; init; }

    /// <summary>The same on the demand (top-k before capacity).</summary>
    public double MaxVioBatchDemand { get; init; }

    /// <summary>MaxVio_global: max_e / mean of the loads summed over the whole test set, − 1 (mean over the MoE blocks).</summary>
    public double MaxVioGlobal { get; init; }

    /// <summary>Largest expert load seen in any training step and block.</summary>
    public int TrainMaxLoad { get; init; }

    /// <summary>True when no expert of any block exceeded its capacity in any training step or test batch.</summary>
    public bool CapacityHeld { get; init; }

    /// <summary>Mean router time per training batch in milliseconds, summed over the MoE blocks.</summary>
    public double RouterMsPerBatch { get; init; }

    /// <summary>Mean step time in milliseconds.</summary>
    public double StepMs { get; init; }

    /// <summary>Wall time of the run (training and test), in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Training steps.</summary>
    public int Steps { get; init; }

    /// <summary>Mean test load of each expert of the last MoE block (the one the load plot shows).</summary>
    public required double[] TestLoadPerExpert { get; init; }

    /// <summary>Each MoE block's routing over the test set.</summary>
    public IReadOnlyList<BlockTestStats> TestBlocks { get; init; } = [];

    /// <summary>Training loss per step.</summary>
    public required double[] LossCurve { get; init; }

    /// <summary>MaxVio of the processed loads per training step (mean over the MoE blocks).</summary>
    public double[] MaxVioCurve { get; init; } = [];

    /// <summary>Every training step (loads, demand, timings per block); not written to JSON.</summary>
    [JsonIgnore]
    public IReadOnlyList<StepRecord> StepRecords { get; init; } = [];

    /// <summary>The run's name in progress output: the gate, with the seed when several seeds run.</summary>
    [JsonIgnore]
    public string Label { get; init; } = string.Empty;
}
