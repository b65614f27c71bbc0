namespace PhaseRouter.ML.Tests.MixtureOfExperts;

/// <summary>A synthetic row: four features around one of three centres, and its class name.</summary>
public sealed class Blob
{
    public string Kind { get; set; } = "";

    public float A { get; set; }

    public float B { get; set; }

    public float C { get; set; }

    public float D { get; set; }
}
