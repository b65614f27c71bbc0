using System.Diagnostics;
using PhaseRouter.Engine;
using PhaseRouter.Kernels;

namespace PhaseRouter;

/// <summary>
/// The Phase Router operator (SPEC §1): turns the degrees of two binary matrices into a balanced,
/// seed-deterministic bipartite routing in which every source takes at most k targets.
/// </summary>
/// <remarks>
/// The operator depends only on the row degrees of its inputs, so <see cref="RouteDegrees(ReadOnlySpan{int}, ReadOnlySpan{int}, int, RouterOptions?)"/> is the primitive and
/// the matrix overloads count degrees first. Every overload gives identical routes for the same degrees, k and
/// options, whatever the kernel and the thread count.
/// </remarks>
public static class Router
{
    /// <summary>Routes R sources to C targets given as packed matrices.</summary>
    /// <param name="sources">S, <c>R × C</c>: row i's ones give source i's degree.</param>
    /// <param name="targets">T, <c>C × R</c>: row j's ones give target j's degree.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">Shapes do not match, or an option is invalid.</exception>
    public static RoutingResult Route(BitMatrix sources, BitMatrix targets, int k, RouterOptions? options = null) =>
        Route(sources, targets, k, Memory<int>.Empty, options);

    /// <summary>
    /// Routes packed matrices into a caller-owned buffer of <c>R · k</c> slots, which the result then views.
    /// Reusing one buffer across calls avoids allocating (and page-faulting) the route array each time.
    /// </summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="destination">Exactly <c>R · k</c> slots; left untouched when the call throws.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">Shapes do not match, the buffer has the wrong length, or an option is invalid.</exception>
    public static RoutingResult Route(BitMatrix sources, BitMatrix targets, int k, Memory<int> destination,
        RouterOptions? options = null)
    {
        long start = Stopwatch.GetTimestamp();
        ArgumentChecks.Shapes(sources, targets);
        options ??= RouterOptions.Default;
        Validate(sources.Rows, sources.Columns, k, options);
        CheckDestination(destination, sources.Rows, k);
        var s = new int[sources.Rows];
        var t = new int[targets.Rows];
        DegreeCounter.RowDegrees(sources, s, options.MaxDegreeOfParallelism);
        DegreeCounter.RowDegrees(targets, t, options.MaxDegreeOfParallelism);
        return RouteEngine.Run(s, t, k, options, start, destination);
    }

    /// <summary>Routes R sources to C targets given as dense bytes (any non-zero byte is a one).</summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">Shapes do not match, or an option is invalid.</exception>
    public static RoutingResult Route(byte[,] sources, byte[,] targets, int k, RouterOptions? options = null) =>
        Route(sources, targets, k, Memory<int>.Empty, options);

    /// <summary>Routes dense bytes into a caller-owned buffer of <c>R · k</c> slots, which the result then views.</summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="destination">Exactly <c>R · k</c> slots; left untouched when the call throws.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">Shapes do not match, the buffer has the wrong length, or an option is invalid.</exception>
    public static RoutingResult Route(byte[,] sources, byte[,] targets, int k, Memory<int> destination,
        RouterOptions? options = null)
    {
        long start = Stopwatch.GetTimestamp();
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentChecks.Shapes(sources.GetLength(0), sources.GetLength(1), targets.GetLength(0), targets.GetLength(1));
        options ??= RouterOptions.Default;
        Validate(sources.GetLength(0), sources.GetLength(1), k, options);
        CheckDestination(destination, sources.GetLength(0), k);
        var s = new int[sources.GetLength(0)];
        var t = new int[targets.GetLength(0)];
        DegreeCounter.RowDegrees(sources, s, options.MaxDegreeOfParallelism);
        DegreeCounter.RowDegrees(targets, t, options.MaxDegreeOfParallelism);
        return RouteEngine.Run(s, t, k, options, start, destination);
    }

    /// <summary>
    /// Routes given only the degrees: identical routes to <see cref="Route(BitMatrix, BitMatrix, int, RouterOptions?)"/>
    /// on any matrices with these row degrees, without ever building an R × C matrix.
    /// </summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">A degree is out of range, or an option is invalid.</exception>
    public static RoutingResult RouteDegrees(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        RouterOptions? options = null) =>
        RouteDegrees(sourceDegrees, targetDegrees, k, Memory<int>.Empty, options);

    /// <summary>Routes degrees into a caller-owned buffer of <c>R · k</c> slots, which the result then views.</summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="destination">Exactly <c>R · k</c> slots; left untouched when the call throws.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">A degree is out of range, the buffer has the wrong length, or an option is invalid.</exception>
    public static RoutingResult RouteDegrees(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        Memory<int> destination, RouterOptions? options = null)
    {
        long start = Stopwatch.GetTimestamp();
        options ??= RouterOptions.Default;
        int[] s = ArgumentChecks.Degrees(sourceDegrees, targetDegrees.Length, nameof(sourceDegrees));
        int[] t = ArgumentChecks.Degrees(targetDegrees, sourceDegrees.Length, nameof(targetDegrees));
        Validate(s.Length, t.Length, k, options);
        CheckDestination(destination, s.Length, k);
        return RouteEngine.Run(s, t, k, options, start, destination);
    }

    /// <summary>The candidate matrix Cand of step 7 (<c>R × C</c>) before any selection, for tests and pictures.</summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="options">Seed and options; selection options are ignored.</param>
    public static BitMatrix Candidates(BitMatrix sources, BitMatrix targets, RouterOptions? options = null)
    {
        ArgumentChecks.Shapes(sources, targets);
        return CandidatesFromDegrees(sources.RowDegrees(), targets.RowDegrees(), options);
    }

    /// <summary>The candidate matrix Cand of step 7 (<c>R × C</c>) from degrees.</summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="options">Seed and options; selection options are ignored.</param>
    public static BitMatrix CandidatesFromDegrees(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees,
        RouterOptions? options = null)
    {
        options ??= RouterOptions.Default;
        int[] s = ArgumentChecks.Degrees(sourceDegrees, targetDegrees.Length, nameof(sourceDegrees));
        int[] t = ArgumentChecks.Degrees(targetDegrees, sourceDegrees.Length, nameof(targetDegrees));
        Validate(s.Length, t.Length, 1, options with { Scores = null, TargetCapacities = null, SourceLimits = null });
        return RouteEngine.Candidates(s, t, options);
    }

    /// <summary>An empty buffer asks for a new array; any other must hold exactly R·k slots.</summary>
    private static void CheckDestination(Memory<int> destination, int rows, int k)
    {
        if (!destination.IsEmpty && destination.Length != (long)rows * k)
        {
            throw new ArgumentException(
                $"destination must hold R·k = {rows}·{k} = {(long)rows * k} slots; got {destination.Length}.", nameof(destination));
        }
    }

    private static void Validate(int rows, int columns, int k, RouterOptions options)
    {
        ArgumentChecks.FanOut(rows, k);
        ArgumentChecks.Parallelism(options.MaxDegreeOfParallelism, nameof(options));

        if (options.Permutations is { } p)
        {
            CheckPermutation(p.SourceColumns, columns, "Permutations.SourceColumns");
            CheckPermutation(p.TargetColumns, rows, "Permutations.TargetColumns");
            CheckPermutation(p.SourceRows, rows, "Permutations.SourceRows");
            CheckPermutation(p.TargetRows, columns, "Permutations.TargetRows");
        }

        if (options.Scores is { } scores)
        {
            if (scores.Length != (long)rows * columns)
            {
                throw new ArgumentException(
                    $"Scores must hold R·C = {rows}·{columns} = {(long)rows * columns} values; got {scores.Length}.", nameof(options));
            }

            int nan = FloatScan.IndexOfNaN(scores.Span);
            if (nan >= 0)
            {
                throw new ArgumentException(
                    $"Scores[{nan}] (source {nan / columns}, target {nan % columns}) is NaN.", nameof(options));
            }
        }

        if (options.TargetCapacities is { } caps)
        {
            if (caps.Length != columns)
            {
                throw new ArgumentException($"TargetCapacities must hold C = {columns} values; got {caps.Length}.", nameof(options));
            }

            int bad = Array.FindIndex(caps, c => c < 0);
            if (bad >= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(options), caps[bad], $"TargetCapacities[{bad}] must be at least 0.");
            }
        }

        ArgumentChecks.Limits(options, rows, k);
    }

    private static void CheckPermutation(int[]? permutation, int length, string name)
    {
        if (permutation is null)
        {
            if (name.EndsWith("Columns", StringComparison.Ordinal))
            {
                throw new ArgumentNullException("options", $"{name} is required when Permutations is given.");
            }

            return;
        }

        if (permutation.Length != length)
        {
            throw new ArgumentException($"{name} must have length {length}; got {permutation.Length}.", "options");
        }

        var seen = new bool[length];
        for (int i = 0; i < length; i++)
        {
            int v = permutation[i];
            if ((uint)v >= (uint)length || seen[v])
            {
                throw new ArgumentException(
                    $"{name} is not a permutation of [0, {length}): entry {i} is {v}{((uint)v < (uint)length ? ", a repeat" : ", out of range")}.",
                    "options");
            }

            seen[v] = true;
        }
    }
}
