namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>Shape of the patch-token classifier.</summary>
/// <param name="ModelDim">Token width d.</param>
/// <param name="HiddenDim">Hidden width of each expert's feed-forward network.</param>
/// <param name="Experts">Number of experts E.</param>
/// <param name="Classes">Output classes.</param>
/// <param name="ImageSide">Image side (28).</param>
/// <param name="PatchSide">Patch side (7): 16 tokens of 49 pixels per image.</param>
public sealed record ModelConfig(
    int ModelDim = 32,
    int HiddenDim = 64,
    int Experts = 8,
    int Classes = 10,
    int ImageSide = 28,
    int PatchSide = 7)
{
    /// <summary>Patches along one side.</summary>
    public int PatchesPerSide => ImageSide / PatchSide;

    /// <summary>Tokens per image (16).</summary>
    public int TokensPerImage => PatchesPerSide * PatchesPerSide;

    /// <summary>Pixels per patch (49).</summary>
    public int PatchPixels => PatchSide * PatchSide;
}
