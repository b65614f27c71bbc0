namespace PhaseRouter.Evaluation.Reference;

/// <summary>One row of the original's scaling tables (docs/evaluation.md), means over its 3 trials.</summary>
public sealed record ScalingFigure(int N, int K, double RoutingMs, double ColumnSkew, double FillRatio, double ActiveRoutes);
