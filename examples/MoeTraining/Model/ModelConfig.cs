namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>Shape of the V-MoE-style vision transformer.</summary>
/// <param name="ModelDim">Token width d.</param>
/// <param name="HiddenDim">Hidden width of each expert's feed-forward network and of the dense blocks' MLP.</param>
/// <param name="Experts">Number of experts E of every mixture-of-experts block.</param>
/// <param name="Classes">Output classes.</param>
/// <param name="ImageSide">Image side (28).</param>
/// <param name="PatchSide">Patch side (7): 16 tokens of 49 pixels per image.</param>
/// <param name="Depth">Transformer blocks.</param>
/// <param name="Heads">Attention heads per block (must divide <paramref name="ModelDim"/>).</param>
/// <param name="MoeEvery">Every <c>MoeEvery</c>-th block (the 2nd, 4th, … for 2, as in V-MoE) has a mixture-of-experts feed-forward; the others a dense MLP.</param>
public sealed record ModelConfig(
    int ModelDim = 64,
    int HiddenDim = 128,
    int Experts = 8,
    int Classes = 10,
    int ImageSide = 28,
    int PatchSide = 7,
    int Depth = 4,
    int Heads = 4,
    int MoeEvery = 2)
{
    /// <summary>Patches along one side.</summary>
    public int PatchesPerSide => ImageSide / PatchSide;

    /// <summary>Tokens per image (16 for 7×7 patches).</summary>
    public int TokensPerImage => PatchesPerSide * PatchesPerSide;

    /// <summary>Pixels per patch (49 for 7×7 patches).</summary>
    public int PatchPixels => PatchSide * PatchSide;

    /// <summary>The indices of the mixture-of-experts blocks: those with <c>(block + 1) mod MoeEvery = 0</c>.</summary>
    public IReadOnlyList<int> MoeBlocks => [.. Enumerable.Range(0, Depth).Where(IsMoeBlock)];

    /// <summary>True when block <paramref name="block"/> (0-based) has a mixture-of-experts feed-forward.</summary>
    public bool IsMoeBlock(int block) => (block + 1) % MoeEvery == 0;
}
