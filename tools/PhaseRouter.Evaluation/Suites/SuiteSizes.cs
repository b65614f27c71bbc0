namespace PhaseRouter.Evaluation.Suites;

/// <summary>The sizes each part runs at: the original's (where this machine allows), or small ones for <c>--quick</c>.</summary>
public sealed record SuiteSizes(
    int TestN,
    int TestK,
    int PipelineN,
    int PipelineK,
    IReadOnlyList<int> SweepN,
    IReadOnlyList<int> SweepK,
    int SweepTrials,
    int VsHashN,
    IReadOnlyList<int> VsHashK,
    IReadOnlyList<int> TwoPhaseK,
    int MatrixN,
    int MatrixK)
{
    /// <summary>
    /// The original's sizes. The stress test uses its published N = 32,000 with every k of its script; at k = 12,800 the
    /// padded route arrays of both routers take 1.6 GB each, which this machine holds.
    /// </summary>
    public static SuiteSizes Full { get; } = new(256, 32, 48, 12, SweepSuite.FullN, SweepSuite.FullK, 3, 32000, VsHashSuite.FullK,
        VsHashSuite.FullK, 1024, 64);

    /// <summary>Small sizes: every part in seconds. The matrix keeps the original's mean load k²/N = 4 (N = 256, k = 32).</summary>
    public static SuiteSizes Quick { get; } = new(256, 32, 32, 8, SweepSuite.QuickN, SweepSuite.QuickK, 2, VsHashSuite.QuickN,
        VsHashSuite.QuickK, [64, 256], 256, 32);
}
