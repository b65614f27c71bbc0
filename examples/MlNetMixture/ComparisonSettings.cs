namespace PhaseRouter.Examples.MlNetMixture;

/// <summary>What one run of the comparison uses.</summary>
public sealed record ComparisonSettings
{
    /// <summary>The Fashion-MNIST directory, or null for the installed set, else the repository's slice.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Keep only the first training images (null = all).</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Keep only the first test images (null = all).</summary>
    public int? TestLimit { get; init; }

    /// <summary>Most epochs of the network trainers.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Experts of the mixture (the dense network has one).</summary>
    public int Experts { get; init; } = 8;

    /// <summary>Experts per image.</summary>
    public int K { get; init; } = 1;

    /// <summary>Capacity factor of the gates.</summary>
    public double CapacityFactor { get; init; } = 1.0;

    /// <summary>Seed of every trainer.</summary>
    public int Seed { get; init; }

    /// <summary>Folder for <c>summary.json</c>.</summary>
    public string OutputDirectory { get; init; } = "runs/mlnet-mixture";
}
