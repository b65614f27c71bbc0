namespace PhaseRouter.Evaluation.Reference;

/// <summary>
/// Figures the original project published (SPEC §5 and its documents under shared/reference/original/docs), typed in
/// so that every Markdown result can put ours beside them. Means over the original's trials where it gives mean ± std.
/// </summary>
public static class OriginalFigures
{
    /// <summary>The machine of the original's scaling table (docs/evaluation.md).</summary>
    public const string ScalingMachine = "Intel Core i5-2410M @ 2.30 GHz, 2 cores / 4 threads, 8 GB RAM (original's docs/evaluation.md)";

    /// <summary>The machine of the original's test matrix (docs/phase_router_test_matrix.md).</summary>
    public const string MatrixMachine = "Linux 6.14, x86_64, 2 physical / 4 logical CPUs at 2.9 GHz, 7.61 GB RAM (original's docs/phase_router_test_matrix.md)";

    /// <summary>The machine of the original's stress test (docs/stress_test.md does not say).</summary>
    public const string StressMachine = "not stated (original's docs/stress_test.md, N = 32,000)";

    /// <summary>The machine class of SPEC §5.</summary>
    public const string SpecMachine = "this machine class, 2 cores, OpenMP (SPEC §5)";

    /// <summary>N of the original's published stress test (its script's default is 16,000; its document reports 32,000).</summary>
    public const int StressN = 32000;

    /// <summary>N and k of the original's published test matrix.</summary>
    public const int MatrixN = 1024;

    /// <summary>k of the original's published test matrix.</summary>
    public const int MatrixK = 64;

    /// <summary>SPEC §5: routing ms, whole-call ms and column skew on the original's random inputs.</summary>
    public static IReadOnlyList<SpecTiming> Spec { get; } =
    [
        new(1024, 256, 4.3, 6.8, 2.5),
        new(2048, 512, 14, 19, 2.5),
        new(4096, 512, 49, 74, 2.9),
        new(8192, 512, 187, 350, 3.4),
        new(16384, 512, 994, 1363, 5.0),
    ];

    /// <summary>docs/evaluation.md: the scaling sweep (3 trials per configuration).</summary>
    public static IReadOnlyList<ScalingFigure> Scaling { get; } =
    [
        new(256, 8, 0.22, 18.3815, 0.0093, 19),
        new(256, 16, 0.25, 7.2665, 0.0173, 71),
        new(256, 64, 0.55, 3.1679, 0.0659, 1080.33),
        new(256, 256, 1.54, 1.9930, 0.2559, 16772.67),
        new(512, 8, 0.74, 28.8936, 0.0044, 18),
        new(512, 16, 0.80, 14.3002, 0.0087, 71.67),
        new(512, 64, 1.10, 3.6899, 0.0325, 1063.67),
        new(512, 256, 2.35, 2.1706, 0.1274, 16705),
        new(512, 512, 3.36, 1.9682, 0.2557, 67021.33),
        new(1024, 8, 6.02, 49.0595, 0.0026, 21),
        new(1024, 16, 22.24, 29.0783, 0.0043, 70.67),
        new(1024, 64, 9.11, 6.1544, 0.0161, 1052.67),
        new(1024, 256, 15.61, 2.5988, 0.0627, 16427.67),
        new(1024, 512, 16.22, 2.2007, 0.1257, 65924),
        new(2048, 8, 19.44, 114.4673, 0.0014, 23.33),
        new(2048, 16, 20.60, 44.4359, 0.0023, 76),
        new(2048, 64, 19.02, 9.2553, 0.0079, 1033),
        new(2048, 256, 41.03, 3.0956, 0.0316, 16542),
        new(2048, 512, 29.71, 2.5775, 0.0624, 65416.33),
        new(4096, 8, 59.67, 268.1904, 0.0005, 15.33),
        new(4096, 16, 51.06, 74.4843, 0.0011, 71.33),
        new(4096, 64, 58.52, 14.3537, 0.0040, 1048.33),
        new(4096, 256, 61.61, 4.3777, 0.0158, 16527.67),
        new(4096, 512, 77.95, 2.8115, 0.0315, 66054.33),
    ];

    /// <summary>docs/stress_test.md: the single-phase sweep at N = 32,000 (its hash time column repeats the phase time, so it is left out).</summary>
    public static IReadOnlyList<SinglePhaseFigure> SinglePhase { get; } =
    [
        new(16, 20675.3, 67, 477.61, 0.00013, 533.33),
        new(64, 13797.4, 1065, 60.09, 0.00052, 57.97),
        new(256, 11504.4, 16322, 11.76, 0.00199, 9.69),
        new(1024, 12666.9, 261146, 3.80, 0.00797, 2.59),
        new(4096, 31516.2, 4168917, 2.37, 0.03181, 1.35),
        new(12800, 26102.2, 40653071, 2.09, 0.09925, 1.11),
    ];

    /// <summary>docs/stress_test.md: the adversarial two-phase test at N = 32,000.</summary>
    public static IReadOnlyList<TwoPhaseFigure> TwoPhase { get; } =
    [
        new(64, 15141.7 + 12139.0, 4, 30.88, 26158.5 + 990.0, 75, 591.72),
        new(256, 26307.6 + 12025.8, 9, 4.41, 7209.2 + 12386.2, 56, 27.56),
        new(1024, 10785.9 + 13796.2, 60, 1.83, 7570.3 + 17685.0, 115, 3.50),
    ];

    /// <summary>docs/phase_router_test_matrix.md: each test's published figures by the original's metric names.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Matrix { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal)
        {
            ["Row-Degree Extremes"] = Column(0, 134, 64.321, 64.144, 2.083),
            ["Column-Target Stress"] = Column(0, 10, 4.057, 1.797, 2.465),
            ["Seed Reproducibility"] = new Dictionary<string, double> { ["identical"] = 1 },
            ["Monte Carlo Mean Load"] = new Dictionary<string, double> { ["mean_load"] = 3.981, ["skew"] = 1.457 },
            ["Large-Scale Performance"] = Column(0, 10, 4.015, 1.889, 2.491),
            ["Adversarial Two-Phase"] = Column(0, 10, 4.077, 1.839, 2.453),
            ["Edge-Case k Values"] = new Dictionary<string, double>
            {
                ["k=1__col_max"] = 1, ["k=1__col_skew"] = 1023.999, ["k=N__col_max"] = 1024, ["k=N__col_skew"] = 1.0,
            },
            ["Structured Sparse Patterns"] = new Dictionary<string, double>
            {
                ["diagonal__col_min"] = 0, ["diagonal__col_max"] = 1, ["diagonal__col_mean"] = 0.003,
                ["diagonal__col_std"] = 0.054, ["diagonal__col_skew"] = 341.333,
                ["checkerboard__col_min"] = 0, ["checkerboard__col_max"] = 83, ["checkerboard__col_mean"] = 32.000,
                ["checkerboard__col_std"] = 32.435, ["checkerboard__col_skew"] = 2.594,
            },
            ["Phase Rotation Boundaries"] = Column(0, 11, 4.050, 2.011, 2.716),
            ["Hash Router Comparison"] = new Dictionary<string, double>
            {
                ["phase_skew"] = 2.267, ["hash_skew"] = 3.684, ["skew_ratio"] = 1.625,
            },
        };

    /// <summary>The SPEC §5 row for (N, k), or null.</summary>
    /// <param name="n">N.</param>
    /// <param name="k">k.</param>
    public static SpecTiming? SpecFor(int n, int k) => Spec.FirstOrDefault(f => f.N == n && f.K == k);

    /// <summary>The scaling row for (N, k), or null.</summary>
    /// <param name="n">N.</param>
    /// <param name="k">k.</param>
    public static ScalingFigure? ScalingFor(int n, int k) => Scaling.FirstOrDefault(f => f.N == n && f.K == k);

    private static Dictionary<string, double> Column(double min, double max, double mean, double std, double skew) => new()
    {
        ["col_min"] = min, ["col_max"] = max, ["col_mean"] = mean, ["col_std"] = std, ["col_skew"] = skew,
    };
}
