namespace PhaseRouter;

/// <summary>
/// Argument checks shared by every public entry point (the router, the hash baseline, the statistics), so one input
/// gets one message everywhere. Every failure names the parameter and the value.
/// </summary>
internal static class ArgumentChecks
{
    /// <summary>A copy of the degrees after checking each is in <c>[0, ring]</c>.</summary>
    public static int[] Degrees(ReadOnlySpan<int> degrees, int ring, string name)
    {
        CheckDegrees(degrees, ring, name);
        return degrees.ToArray();
    }

    /// <summary>Checks that each degree is in <c>[0, ring]</c>.</summary>
    public static void CheckDegrees(ReadOnlySpan<int> degrees, int ring, string name)
    {
        // The runtime's vectorised search: this check reads every degree of every call.
        int i = degrees.IndexOfAnyExceptInRange(0, ring);
        if (i >= 0)
        {
            throw new ArgumentOutOfRangeException(name, degrees[i],
                $"{name}[{i}] = {degrees[i]} must be in [0, {ring}] (its ring has {ring} positions).");
        }
    }

    /// <summary>T must be C×R for S of R×C.</summary>
    public static void Shapes(int sourceRows, int sourceColumns, int targetRows, int targetColumns)
    {
        if (targetRows != sourceColumns || targetColumns != sourceRows)
        {
            throw new ArgumentException(
                $"targets must be C×R = {sourceColumns}×{sourceRows} for sources of {sourceRows}×{sourceColumns}; got {targetRows}×{targetColumns}.",
                "targets");
        }
    }

    /// <inheritdoc cref="Shapes(int, int, int, int)"/>
    public static void Shapes(BitMatrix sources, BitMatrix targets)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        Shapes(sources.Rows, sources.Columns, targets.Rows, targets.Columns);
    }

    public static void K(int k, string name = "k")
    {
        if (k < 1)
        {
            throw new ArgumentOutOfRangeException(name, k, $"{name}, the fan-out bound, must be at least 1.");
        }
    }

    public static void Parallelism(int maxDegreeOfParallelism, string name)
    {
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(name, maxDegreeOfParallelism,
                "MaxDegreeOfParallelism must be -1 (all cores) or at least 1.");
        }
    }

    /// <summary>The options' per-source limits (length R, each in <c>[0, k]</c>), or null.</summary>
    public static int[]? Limits(RouterOptions options, int rows, int k, string name = "options")
    {
        if (options.SourceLimits is not { } limits)
        {
            return null;
        }

        if (limits.Length != rows)
        {
            throw new ArgumentException($"SourceLimits must hold R = {rows} values; got {limits.Length}.", name);
        }

        // A loop, not Array.FindIndex with a lambda: the lambda's closure over k would be allocated on every call,
        // limits or not, and the compact steady state allocates nothing.
        for (int bad = 0; bad < limits.Length; bad++)
        {
            if ((uint)limits[bad] > (uint)k)
            {
                throw new ArgumentOutOfRangeException(name, limits[bad], $"SourceLimits[{bad}] must be in [0, k = {k}].");
            }
        }

        return limits;
    }
}
