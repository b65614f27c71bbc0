using System.Globalization;
using PhaseRouter.Gating;

namespace PhaseRouter.ML;

/// <summary>
/// Options of <see cref="PhaseRoutingEstimator"/>: which score column to read, how many classes each row takes
/// (<see cref="K"/>) and how much each class may receive. Give exactly one of <see cref="CapacityFactor"/> and
/// <see cref="TargetCapacities"/>.
/// </summary>
public sealed record PhaseRoutingOptions
{
    /// <summary>The default name of the score column, as written by ML.NET's multiclass trainers.</summary>
    public const string DefaultScoreColumnName = "Score";

    /// <summary>The default name of the output column.</summary>
    public const string DefaultOutputColumnName = "Assignment";

    /// <summary>
    /// The input column: a known-size vector of <see cref="float"/> with one affinity per class (C slots). Higher is
    /// better; <see cref="float.NegativeInfinity"/> marks a class the row may never take; NaN is rejected.
    /// </summary>
    public string ScoreColumnName { get; init; } = DefaultScoreColumnName;

    /// <summary>
    /// The output column: a vector of <see cref="int"/> of size <see cref="K"/> holding the assigned class indices
    /// (slot indices of the score column), best first, padded with -1 where a row got fewer than K classes.
    /// </summary>
    public string OutputColumnName { get; init; } = DefaultOutputColumnName;

    /// <summary>How many classes each row takes, in <c>[1, C]</c>. Default 1.</summary>
    public int K { get; init; } = 1;

    /// <summary>
    /// Capacity factor cf &gt; 0: every class may receive at most <c>⌈cf · rows · K / C⌉</c> rows of the transformed
    /// data (1 is the least that can fit every slot; 1.25 leaves 25% slack). Exclusive with <see cref="TargetCapacities"/>.
    /// </summary>
    public double? CapacityFactor { get; init; }

    /// <summary>
    /// Explicit per-class capacities (length C, each ≥ 0): class j receives at most <c>TargetCapacities[j]</c> rows.
    /// Exclusive with <see cref="CapacityFactor"/>. The estimator keeps its own copy.
    /// </summary>
    public int[]? TargetCapacities { get; init; }

    /// <summary>
    /// Seed passed to the router. With scores and every class a candidate the assignment is fully determined by the
    /// scores (rows served highest best-score first, ties to the lower row index), so the seed only matters to
    /// future selection modes; it is kept so that a pipeline pins every input of the routing call.
    /// </summary>
    public ulong Seed { get; init; }

    /// <summary>Maximum number of threads of the routing call; -1 (the default) uses every core. The result never depends on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// The capacities a batch of <paramref name="rows"/> rows over <paramref name="classes"/> classes gets: a copy
    /// of <see cref="TargetCapacities"/>, or <c>⌈cf · rows · K / C⌉</c> per class (<see cref="ExpertCapacity.Of"/>,
    /// the exact ceiling, so that e.g. 1.1 · 10 is 11, not 12).
    /// </summary>
    /// <param name="rows">Rows of the batch, at least 0.</param>
    /// <param name="classes">C, the number of classes (slots of the score column), at least 1.</param>
    /// <exception cref="ArgumentException">The options are invalid, or do not fit <paramref name="classes"/>.</exception>
    public int[] CapacitiesFor(int rows, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Validate();
        ValidateFor(classes);
        if (TargetCapacities is { } caps)
        {
            return (int[])caps.Clone();
        }

        int capacity = ExpertCapacity.Of(CapacityFactor!.Value, rows, K, classes);
        var result = new int[classes];
        Array.Fill(result, capacity);
        return result;
    }

    /// <summary>Checks everything that does not depend on the data.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ScoreColumnName))
        {
            throw new ArgumentException(
                $"ScoreColumnName must name a column; got '{ScoreColumnName}'.", nameof(ScoreColumnName));
        }

        if (string.IsNullOrWhiteSpace(OutputColumnName))
        {
            throw new ArgumentException(
                $"OutputColumnName must name a column; got '{OutputColumnName}'.", nameof(OutputColumnName));
        }

        if (K < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(K), K, "K, the number of classes per row, must be at least 1.");
        }

        if (MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism,
                "MaxDegreeOfParallelism must be -1 (all cores) or at least 1.");
        }

        switch (CapacityFactor, TargetCapacities)
        {
            case (null, null):
                throw new ArgumentException(
                    "Give exactly one of CapacityFactor and TargetCapacities; got neither.", nameof(CapacityFactor));
            case (not null, not null):
                throw new ArgumentException(
                    $"Give exactly one of CapacityFactor and TargetCapacities; got both (CapacityFactor = {CapacityFactor.Value.ToString(CultureInfo.InvariantCulture)}).",
                    nameof(CapacityFactor));
            case ({ } cf, null) when !(cf > 0) || double.IsInfinity(cf):
                throw new ArgumentOutOfRangeException(nameof(CapacityFactor), cf,
                    "CapacityFactor must be a finite number greater than 0.");
        }

        if (TargetCapacities is { } caps)
        {
            if (caps.Length == 0)
            {
                throw new ArgumentException("TargetCapacities must hold one capacity per class; got an empty array.",
                    nameof(TargetCapacities));
            }

            int bad = Array.FindIndex(caps, c => c < 0);
            if (bad >= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(TargetCapacities), caps[bad],
                    $"TargetCapacities[{bad.ToString(CultureInfo.InvariantCulture)}] must be at least 0.");
            }
        }
    }

    /// <summary>Checks what depends on C, the number of classes of the score column.</summary>
    internal void ValidateFor(int classes)
    {
        if (K > classes)
        {
            throw new ArgumentOutOfRangeException(nameof(K), K,
                $"K must be in [1, C = {classes.ToString(CultureInfo.InvariantCulture)}], the number of slots of score column '{ScoreColumnName}'.");
        }

        if (TargetCapacities is { } caps && caps.Length != classes)
        {
            throw new ArgumentException(
                $"TargetCapacities must hold C = {classes.ToString(CultureInfo.InvariantCulture)} values, one per slot of score column '{ScoreColumnName}'; got {caps.Length.ToString(CultureInfo.InvariantCulture)}.",
                nameof(TargetCapacities));
        }
    }
}
