namespace PhaseRouter.Evaluation.Reference;

/// <summary>One row of the original's single-phase stress sweep (docs/stress_test.md, N = 32,000).</summary>
public sealed record SinglePhaseFigure(int K, double PhaseMs, long ActiveRoutes, double PhaseSkew, double FillRatio, double HashSkew);
