using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Everything a training experiment needs, as given on the command line.</summary>
public sealed record ExperimentSettings
{
    /// <summary>The gates to train, in order; each run uses the same model init, seed and data order.</summary>
    public IReadOnlyList<GateKind> Gates { get; init; } = [GateKind.Phase, GateKind.Softmax, GateKind.Hash];

    /// <summary>Phase gate policy.</summary>
    public GatePolicy Policy { get; init; } = GatePolicy.Spill;

    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 2;

    /// <summary>Number of experts E.</summary>
    public int Experts { get; init; } = 8;

    /// <summary>Experts per token k.</summary>
    public int K { get; init; } = 1;

    /// <summary>Capacity factor: capacity per expert is <c>ceil(factor · tokens · k / E)</c>.</summary>
    public double CapacityFactor { get; init; } = 1.0;

    /// <summary>Menu size m of the menu policy (<c>k ≤ m ≤ E</c>).</summary>
    public int MenuSize { get; init; } = 4;

    /// <summary>Images per batch; the gate routes batch·16 tokens.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Seed of model init, data order and routing.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Threads for torch and the router.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Directory for summary.json, summary.md and the plots.</summary>
    public string OutputDirectory { get; init; } = "results";

    /// <summary>Directory of the Fashion-MNIST IDX files (null: the Debian package's).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Which data set.</summary>
    public DatasetKind Dataset { get; init; } = DatasetKind.Auto;

    /// <summary>Training images to use (null: all).</summary>
    public int? TrainSamples { get; init; }

    /// <summary>Test images to use (null: all).</summary>
    public int? TestSamples { get; init; }

    /// <summary>Token width of the model.</summary>
    public int ModelDim { get; init; } = 64;

    /// <summary>Hidden width of each expert's feed-forward network.</summary>
    public int HiddenDim { get; init; } = 128;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Weight of the softmax gate's load-balancing auxiliary loss.</summary>
    public double AuxLossWeight { get; init; } = 0.01;
}
