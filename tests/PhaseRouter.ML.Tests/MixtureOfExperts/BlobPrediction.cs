namespace PhaseRouter.ML.Tests.MixtureOfExperts;

/// <summary>What the pipeline returns per row: probabilities, the predicted key and its class name.</summary>
public sealed class BlobPrediction
{
    public string Kind { get; set; } = "";

    public float[] Score { get; set; } = [];

    public uint PredictedLabel { get; set; }

    public string PredictedKind { get; set; } = "";
}
