namespace PhaseRouter.Statistics;

/// <summary>
/// Per-target loads of many routing calls, one call per seed: sample <c>m</c> was routed with seed
/// <c>SeedBase + m</c> (wrapping at 2⁶⁴). Made by <see cref="RoutingStatistics.SampleMany(Func{ulong, RoutingResult}, int, ulong, int)"/>
/// or from recorded loads by <see cref="FromLoads"/>.
/// </summary>
public sealed class LoadSamples
{
    private readonly int[] _loads;
    private readonly long[] _activeRoutes;

    internal LoadSamples(ulong seedBase, int count, int sources, int targets, int k, int[] loads, long[] activeRoutes)
    {
        SeedBase = seedBase;
        Count = count;
        Sources = sources;
        Targets = targets;
        K = k;
        _loads = loads;
        _activeRoutes = activeRoutes;
    }

    /// <summary>The seed of sample 0.</summary>
    public ulong SeedBase { get; }

    /// <summary>The number of samples (routing calls).</summary>
    public int Count { get; }

    /// <summary>R, the number of sources of each call (0 when unknown, for recorded loads).</summary>
    public int Sources { get; }

    /// <summary>C, the number of targets of each call.</summary>
    public int Targets { get; }

    /// <summary>The fan-out bound of each call (0 when unknown, for recorded loads).</summary>
    public int K { get; }

    /// <summary>The seed sample <paramref name="sample"/> was routed with: <c>SeedBase + sample</c>.</summary>
    /// <param name="sample">Sample index in <c>[0, Count)</c>.</param>
    public ulong SeedOf(int sample)
    {
        CheckSample(sample);
        return unchecked(SeedBase + (ulong)sample);
    }

    /// <summary>The per-target loads of one sample (length <see cref="Targets"/>).</summary>
    /// <param name="sample">Sample index in <c>[0, Count)</c>.</param>
    public ReadOnlySpan<int> Loads(int sample)
    {
        CheckSample(sample);
        return new ReadOnlySpan<int>(_loads, sample * Targets, Targets);
    }

    /// <summary>The load of one target in one sample.</summary>
    /// <param name="sample">Sample index in <c>[0, Count)</c>.</param>
    /// <param name="target">Target index in <c>[0, Targets)</c>.</param>
    public int Load(int sample, int target)
    {
        CheckSample(sample);
        if ((uint)target >= (uint)Targets)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"target must be in [0, {Targets}).");
        }

        return _loads[sample * Targets + target];
    }

    /// <summary>The loads of one target across all samples, as doubles (the form MathNet's statistics take).</summary>
    /// <param name="target">Target index in <c>[0, Targets)</c>.</param>
    public double[] TargetLoads(int target)
    {
        if ((uint)target >= (uint)Targets)
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"target must be in [0, {Targets}).");
        }

        var column = new double[Count];
        for (int m = 0; m < Count; m++)
        {
            column[m] = _loads[m * Targets + target];
        }

        return column;
    }

    /// <summary>The number of filled slots of one sample (the sum of its loads).</summary>
    /// <param name="sample">Sample index in <c>[0, Count)</c>.</param>
    public long ActiveRoutes(int sample)
    {
        CheckSample(sample);
        return _activeRoutes[sample];
    }

    /// <summary>A copy of the loads as a <c>Count × Targets</c> jagged array.</summary>
    public int[][] ToArray()
    {
        var result = new int[Count][];
        for (int m = 0; m < Count; m++)
        {
            result[m] = _loads.AsSpan(m * Targets, Targets).ToArray();
        }

        return result;
    }

    /// <summary>Wraps recorded per-target loads (one row per call) so that the statistics can run on them.</summary>
    /// <param name="loads">One row per sample, all of the same length C ≥ 1, every load ≥ 0.</param>
    /// <param name="seedBase">The seed of the first row, if the rows came from consecutive seeds; informational.</param>
    /// <exception cref="ArgumentException">No rows, rows of different lengths, or a negative load.</exception>
    public static LoadSamples FromLoads(IReadOnlyList<int[]> loads, ulong seedBase = 0)
    {
        ArgumentNullException.ThrowIfNull(loads);
        if (loads.Count == 0)
        {
            throw new ArgumentException("loads must hold at least one sample.", nameof(loads));
        }

        int targets = loads[0]?.Length ?? throw new ArgumentException("loads[0] is null.", nameof(loads));
        if (targets == 0)
        {
            throw new ArgumentException("loads[0] is empty; every sample needs at least one target.", nameof(loads));
        }

        if ((long)loads.Count * targets > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{loads.Count} samples of {targets} targets = {(long)loads.Count * targets} loads exceed the largest array ({Array.MaxLength}).", nameof(loads));
        }

        var flat = new int[(long)loads.Count * targets];
        var active = new long[loads.Count];
        for (int m = 0; m < loads.Count; m++)
        {
            int[] row = loads[m] ?? throw new ArgumentException($"loads[{m}] is null.", nameof(loads));
            if (row.Length != targets)
            {
                throw new ArgumentException($"loads[{m}] has {row.Length} targets; loads[0] has {targets}.", nameof(loads));
            }

            for (int j = 0; j < targets; j++)
            {
                if (row[j] < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(loads), row[j], $"loads[{m}][{j}] = {row[j]} is negative.");
                }

                active[m] += row[j];
            }

            row.CopyTo(flat, (long)m * targets);
        }

        return new LoadSamples(seedBase, loads.Count, 0, targets, 0, flat, active);
    }

    private void CheckSample(int sample)
    {
        if ((uint)sample >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(sample), sample, $"sample must be in [0, {Count}).");
        }
    }
}
