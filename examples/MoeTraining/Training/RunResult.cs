using System.Text.Json.Serialization;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The outcome of training and testing one gate; the public properties are the JSON of a run.</summary>
public sealed record RunResult
{
    /// <summary>Gate: <c>phase</c>, <c>softmax</c> or <c>hash</c>.</summary>
    public required string Gate { get; init; }

    /// <summary>The phase gate's policy (<c>Spill</c>, <c>Menu</c>, <c>Oblivious</c>); null for the baselines.</summary>
    public string? Policy { get; init; }

    /// <summary>Test accuracy.</summary>
    public double TestAccuracy { get; init; }

    /// <summary>Mean training loss of the last steps (see <see cref="FinalLossWindow"/>).</summary>
    public double FinalLoss { get; init; }

    /// <summary>Steps averaged into <see cref="FinalLoss"/>.</summary>
    public int FinalLossWindow { get; init; }

    /// <summary>Mean tokens per expert per test batch.</summary>
    public double MeanLoad { get; init; }

    /// <summary>Largest expert load in the test pass.</summary>
    public int MaxLoad { get; init; }

    /// <summary>Capacity per expert of a full test batch.</summary>
    public int Capacity { get; init; }

    /// <summary>Dropped slots / slots in the test pass.</summary>
    public double DroppedSlotRate { get; init; }

    /// <summary>Dropped slots / slots during training.</summary>
    public double TrainDroppedSlotRate { get; init; }

    /// <summary>Largest expert load seen in any training step.</summary>
    public int TrainMaxLoad { get; init; }

    /// <summary>Mean router time per training batch, in milliseconds.</summary>
    public double RouterMsPerBatch { get; init; }

    /// <summary>Mean step time in milliseconds.</summary>
    public double StepMs { get; init; }

    /// <summary>Wall time of the run (training and test), in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Training steps.</summary>
    public int Steps { get; init; }

    /// <summary>Mean test load of each expert.</summary>
    public required double[] TestLoadPerExpert { get; init; }

    /// <summary>Training loss per step.</summary>
    public required double[] LossCurve { get; init; }

    /// <summary>Every training step (loads, demand, timings); not written to JSON.</summary>
    [JsonIgnore]
    public IReadOnlyList<StepRecord> StepRecords { get; init; } = [];
}
