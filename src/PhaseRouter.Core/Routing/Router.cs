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

    /// <summary>
    /// Routes packed matrices into caller-owned compact buffers, reused across calls: once they have grown to the
    /// largest call, routing allocates nothing proportional to R, C or the routes.
    /// </summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="destination">The buffers the result views; the next call with them overwrites it.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">Shapes do not match, or an option is invalid.</exception>
    public static RoutingResult Route(BitMatrix sources, BitMatrix targets, int k, RouteBuffers destination,
        RouterOptions? options = null)
    {
        long start = Stopwatch.GetTimestamp();
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentChecks.Shapes(sources, targets);
        options ??= RouterOptions.Default;
        Validate(sources.Rows, sources.Columns, k, options);
        Engine.LayoutWorkspace workspace = destination.Workspace;
        int[] s = Engine.LayoutWorkspace.Take(ref workspace.SourceDegrees, sources.Rows);
        int[] t = Engine.LayoutWorkspace.Take(ref workspace.TargetDegrees, targets.Rows);
        DegreeCounter.RowDegrees(sources, s, options.MaxDegreeOfParallelism);
        DegreeCounter.RowDegrees(targets, t, options.MaxDegreeOfParallelism);
        return RouteEngine.Run(s, t, k, options, start, buffers: destination);
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

    /// <summary>Routes dense bytes into caller-owned compact buffers, reused across calls.</summary>
    /// <param name="sources">S, <c>R × C</c>.</param>
    /// <param name="targets">T, <c>C × R</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="destination">The buffers the result views; the next call with them overwrites it.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">Shapes do not match, or an option is invalid.</exception>
    public static RoutingResult Route(byte[,] sources, byte[,] targets, int k, RouteBuffers destination,
        RouterOptions? options = null)
    {
        long start = Stopwatch.GetTimestamp();
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentChecks.Shapes(sources.GetLength(0), sources.GetLength(1), targets.GetLength(0), targets.GetLength(1));
        options ??= RouterOptions.Default;
        Validate(sources.GetLength(0), sources.GetLength(1), k, options);
        Engine.LayoutWorkspace workspace = destination.Workspace;
        int[] s = Engine.LayoutWorkspace.Take(ref workspace.SourceDegrees, sources.GetLength(0));
        int[] t = Engine.LayoutWorkspace.Take(ref workspace.TargetDegrees, targets.GetLength(0));
        DegreeCounter.RowDegrees(sources, s, options.MaxDegreeOfParallelism);
        DegreeCounter.RowDegrees(targets, t, options.MaxDegreeOfParallelism);
        return RouteEngine.Run(s, t, k, options, start, buffers: destination);
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
        ArgumentChecks.CheckDegrees(sourceDegrees, targetDegrees.Length, nameof(sourceDegrees));
        ArgumentChecks.CheckDegrees(targetDegrees, sourceDegrees.Length, nameof(targetDegrees));
        Validate(sourceDegrees.Length, targetDegrees.Length, k, options);
        CheckDestination(destination, sourceDegrees.Length, k);
        return RouteEngine.Run(sourceDegrees, targetDegrees, k, options, start, destination);
    }

    /// <summary>
    /// Routes degrees into caller-owned compact buffers (offsets and chosen targets), reused across calls: once they
    /// have grown to the largest call, the call allocates nothing proportional to R, C or the routes.
    /// </summary>
    /// <param name="sourceDegrees">s, length R, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="destination">The buffers the result views; the next call with them overwrites it.</param>
    /// <param name="options">Seed and options; <see langword="null"/> for <see cref="RouterOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">A degree is out of range, or an option is invalid.</exception>
    public static RoutingResult RouteDegrees(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        RouteBuffers destination, RouterOptions? options = null)
    {
        long start = Stopwatch.GetTimestamp();
        ArgumentNullException.ThrowIfNull(destination);
        options ??= RouterOptions.Default;
        ArgumentChecks.CheckDegrees(sourceDegrees, targetDegrees.Length, nameof(sourceDegrees));
        ArgumentChecks.CheckDegrees(targetDegrees, sourceDegrees.Length, nameof(targetDegrees));
        Validate(sourceDegrees.Length, targetDegrees.Length, k, options);

        // The engine copies the degrees into the buffers' workspace, not into new arrays.
        return RouteEngine.Run(sourceDegrees, targetDegrees, k, options, start, buffers: destination);
    }

    /// <summary>
    /// Routes only the sources <c>[firstSource, endSource)</c>, bit-identical to the same rows of
    /// <see cref="RouteDegrees(ReadOnlySpan{int}, ReadOnlySpan{int}, int, RouterOptions?)"/> with the same arguments.
    /// Row r of the result is source <c>firstSource + r</c>.
    /// </summary>
    /// <param name="sourceDegrees">s, all R of them, each in <c>[0, C]</c>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="firstSource">The first source of the shard.</param>
    /// <param name="endSource">One past the last source of the shard, in <c>[firstSource, R]</c>.</param>
    /// <param name="options">
    /// As for the whole call, except that <see cref="RouterOptions.PermuteRows"/>, <see cref="RouterOptions.TargetCapacities"/>
    /// and the <see cref="RouterKernel.BitParallel"/> kernel are not available (they couple all sources);
    /// <see cref="RouterOptions.Scores"/> and <see cref="RouterOptions.SourceLimits"/> hold the shard's rows only.
    /// </param>
    /// <exception cref="ArgumentException">A degree or the range is out of range, or an option is invalid or unavailable.</exception>
    public static RoutingResult RouteShard(ReadOnlySpan<int> sourceDegrees, ReadOnlySpan<int> targetDegrees, int k,
        int firstSource, int endSource, RouterOptions? options = null)
    {
        if ((uint)firstSource > (uint)sourceDegrees.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(firstSource), firstSource, $"firstSource must be in [0, R = {sourceDegrees.Length}].");
        }

        if (endSource < firstSource || endSource > sourceDegrees.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(endSource), endSource, $"endSource must be in [firstSource = {firstSource}, R = {sourceDegrees.Length}].");
        }

        ArgumentChecks.Degrees(sourceDegrees[..firstSource], targetDegrees.Length, nameof(sourceDegrees));
        long before = 0;
        foreach (int d in sourceDegrees[..firstSource])
        {
            before += d;
        }

        return RouteShard(sourceDegrees.Length, firstSource, sourceDegrees[firstSource..endSource], before, targetDegrees, k, options);
    }

    /// <summary>
    /// Routes the sources <c>[firstSource, firstSource + shardDegrees.Length)</c> of an R-source problem from what a
    /// worker holds: the shard's degrees, the sum of the degrees before it, and the target degrees. Bit-identical to the
    /// same rows of the whole routing. With <see cref="PermutationMethod.Feistel"/> the call costs O(shard + C) time and
    /// memory; with the default <see cref="PermutationMethod.Shuffle"/>, drawing πT costs O(R).
    /// </summary>
    /// <param name="sources">R, the number of sources of the whole problem.</param>
    /// <param name="firstSource">The first source of the shard.</param>
    /// <param name="shardDegrees">The degrees of the shard's sources, each in <c>[0, C]</c>.</param>
    /// <param name="degreesBefore">The sum of the degrees of the sources before <paramref name="firstSource"/>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="options">As for <see cref="RouteShard(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int, int, RouterOptions?)"/>.</param>
    /// <exception cref="ArgumentException">An input is out of range, or an option is invalid or unavailable.</exception>
    public static RoutingResult RouteShard(int sources, int firstSource, ReadOnlySpan<int> shardDegrees, long degreesBefore,
        ReadOnlySpan<int> targetDegrees, int k, RouterOptions? options = null) =>
        RouteShardCore(sources, firstSource, shardDegrees, degreesBefore, targetDegrees, k, null, options);

    /// <summary>
    /// <see cref="RouteShard(int, int, ReadOnlySpan{int}, long, ReadOnlySpan{int}, int, RouterOptions?)"/> into
    /// caller-owned compact buffers reused across shards.
    /// </summary>
    /// <param name="sources">R, the number of sources of the whole problem.</param>
    /// <param name="firstSource">The first source of the shard.</param>
    /// <param name="shardDegrees">The degrees of the shard's sources, each in <c>[0, C]</c>.</param>
    /// <param name="degreesBefore">The sum of the degrees of the sources before <paramref name="firstSource"/>.</param>
    /// <param name="targetDegrees">t, length C, each in <c>[0, R]</c>.</param>
    /// <param name="k">The fan-out bound, at least 1.</param>
    /// <param name="destination">The buffers the result views; the next call with them overwrites it.</param>
    /// <param name="options">As for the other shard overloads.</param>
    /// <exception cref="ArgumentException">An input is out of range, or an option is invalid or unavailable.</exception>
    public static RoutingResult RouteShard(int sources, int firstSource, ReadOnlySpan<int> shardDegrees, long degreesBefore,
        ReadOnlySpan<int> targetDegrees, int k, RouteBuffers destination, RouterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return RouteShardCore(sources, firstSource, shardDegrees, degreesBefore, targetDegrees, k, destination, options);
    }

    private static RoutingResult RouteShardCore(int sources, int firstSource, ReadOnlySpan<int> shardDegrees, long degreesBefore,
        ReadOnlySpan<int> targetDegrees, int k, RouteBuffers? destination, RouterOptions? options)
    {
        long start = Stopwatch.GetTimestamp();
        options ??= RouterOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(sources);
        if (firstSource < 0 || (long)firstSource + shardDegrees.Length > sources)
        {
            throw new ArgumentOutOfRangeException(nameof(firstSource), firstSource,
                $"The shard [firstSource, firstSource + {shardDegrees.Length}) must lie in [0, sources = {sources}).");
        }

        int columns = targetDegrees.Length;
        if (degreesBefore < 0 || degreesBefore > (long)firstSource * columns)
        {
            throw new ArgumentOutOfRangeException(nameof(degreesBefore), degreesBefore,
                $"degreesBefore, the sum of {firstSource} degrees each in [0, C = {columns}], must be in [0, {(long)firstSource * columns}].");
        }

        int[] s = ArgumentChecks.Degrees(shardDegrees, columns, nameof(shardDegrees));
        int[] t = ArgumentChecks.Degrees(targetDegrees, sources, nameof(targetDegrees));
        if (options.PermuteRows || options.Permutations?.SourceRows is not null)
        {
            throw new ArgumentException("Sharded routing cannot deal source arcs in a permuted order (PermuteRows, Permutations.SourceRows): each shard would need every degree.", nameof(options));
        }

        if (options.TargetCapacities is not null)
        {
            throw new ArgumentException("Sharded routing cannot enforce TargetCapacities: capacities couple every source through one serving order.", nameof(options));
        }

        if (options.Kernel == RouterKernel.BitParallel)
        {
            throw new ArgumentException("Sharded routing runs the ArcScan kernel; BitParallel builds whole matrices.", nameof(options));
        }

        Validate(s.Length, columns, k, options, sources);
        return RouteEngine.RunShard(sources, firstSource, s, degreesBefore, t, k, options, start, destination);
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

    /// <param name="rows">The rows routed (the shard's length for a shard).</param>
    /// <param name="columns">C.</param>
    /// <param name="k">The fan-out bound.</param>
    /// <param name="options">The options.</param>
    /// <param name="ring">R of the whole problem, when it differs from <paramref name="rows"/> (a shard).</param>
    private static void Validate(int rows, int columns, int k, RouterOptions options, int ring = -1)
    {
        if (ring < 0)
        {
            ring = rows;
        }

        ArgumentChecks.K(k);
        ArgumentChecks.Parallelism(options.MaxDegreeOfParallelism, nameof(options));
        if (!Enum.IsDefined(options.Kernel))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Kernel,
                $"Kernel = {(int)options.Kernel} is not a RouterKernel value (Auto, ArcScan, BitParallel or Sweep).");
        }

        if (!Enum.IsDefined(options.PermutationMethod))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PermutationMethod,
                $"PermutationMethod = {(int)options.PermutationMethod} is not a PermutationMethod value (Shuffle or Feistel).");
        }

        if (options.Permutations is { } p)
        {
            CheckPermutation(p.SourceColumns, columns, "Permutations.SourceColumns");
            CheckPermutation(p.TargetColumns, ring, "Permutations.TargetColumns");
            CheckPermutation(p.SourceRows, ring, "Permutations.SourceRows");
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
