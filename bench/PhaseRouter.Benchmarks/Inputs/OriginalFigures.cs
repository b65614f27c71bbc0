namespace PhaseRouter.Benchmarks.Inputs;

/// <summary>The original C++ router's measured routing times (SPEC §5), by (N, k).</summary>
public static class OriginalFigures
{
    private static readonly Dictionary<(int N, int K), double> RoutingMs = new()
    {
        [(1024, 256)] = 4.3,
        [(2048, 512)] = 14,
        [(4096, 512)] = 49,
        [(8192, 512)] = 187,
        [(16384, 512)] = 994,
    };

    /// <summary>The original's routing milliseconds for this shape, if it was measured.</summary>
    public static double? Routing(int n, int k) => RoutingMs.TryGetValue((n, k), out double ms) ? ms : null;
}
