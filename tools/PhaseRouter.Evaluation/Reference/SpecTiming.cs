namespace PhaseRouter.Evaluation.Reference;

/// <summary>One row of SPEC §5: the original's routing and whole-call time and its column skew at (N, k).</summary>
public sealed record SpecTiming(int N, int K, double RoutingMs, double WholeCallMs, double ColumnSkew);
