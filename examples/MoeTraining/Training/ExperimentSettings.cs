using PhaseRouter.Examples.MoeTraining.Data;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Everything a training experiment needs, as given on the command line.</summary>
public sealed record ExperimentSettings
{
    /// <summary>
    /// The names of the gates to train (<see cref="GateCatalog"/>), in order; for each seed every gate starts from the
    /// same initial weights and sees the same data order.
    /// </summary>
    public IReadOnlyList<string> Gates { get; init; } = [.. GateCatalog.All.Select(g => g.Name)];

    /// <summary>The seeds to run every gate with (mean ± std over them is reported).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [42];

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

    /// <summary>Images per batch; each MoE block routes batch · tokens-per-image tokens together.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Seed of one run's model init, data order and routing (the runner sets it to each of <see cref="Seeds"/>).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Threads for torch and the router (default 1). libtorch's threads spin-wait for each other between operations:
    /// on the shared 2-core machine, two threads ran the default model 3–40 times slower per step than one whenever
    /// other jobs held the cores (and a one-thread step costs 75 ms of CPU). Raise it on a quiet machine.
    /// </summary>
    public int Threads { get; init; } = 1;

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

    /// <summary>
    /// Training images per epoch (null: the whole training set): each epoch takes the first this many of its own
    /// shuffle, so the epochs see different images. The default, 25,600 (200 batches), keeps the default run of all
    /// seven gates within about three minutes on a 2-core machine; 60000 or more trains on all of Fashion-MNIST.
    /// </summary>
    public int? TrainPerEpoch { get; init; } = DefaultTrainPerEpoch;

    /// <summary>The default of <see cref="TrainPerEpoch"/>: 25,600 images (200 batches of 128).</summary>
    public const int DefaultTrainPerEpoch = 25_600;

    /// <summary>Transformer blocks.</summary>
    public int Depth { get; init; } = 4;

    /// <summary>Attention heads per block (must divide <see cref="ModelDim"/>).</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Every this many blocks one has a mixture-of-experts feed-forward (the 2nd, 4th, … for 2).</summary>
    public int MoeEvery { get; init; } = 2;

    /// <summary>Patch side in pixels (must divide 28): 7 gives 16 tokens per image.</summary>
    public int PatchSize { get; init; } = 7;

    /// <summary>Token width of the model.</summary>
    public int ModelDim { get; init; } = 64;

    /// <summary>Hidden width of each expert's feed-forward network and of the dense blocks' MLP.</summary>
    public int HiddenDim { get; init; } = 128;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Weight of the softmax gate's load-balancing auxiliary loss.</summary>
    public double AuxLossWeight { get; init; } = 0.01;
}
