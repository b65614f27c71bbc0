namespace PhaseRouter.Evaluation.Reference;

/// <summary>One row of the original's adversarial two-phase test (docs/stress_test.md, N = 32,000); times are phase 1 + phase 2.</summary>
public sealed record TwoPhaseFigure(int K, double PhaseMs, int PhaseMaxLoad, double PhaseSkew, double HashMs, int HashMaxLoad, double HashSkew);
