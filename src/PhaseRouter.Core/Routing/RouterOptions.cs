namespace PhaseRouter;

/// <summary>Options of one routing call. The defaults give the original operator with seed 0.</summary>
public sealed record RouterOptions
{
    private readonly ReadOnlyMemory<float>? _scores;

    /// <summary>The default options.</summary>
    public static RouterOptions Default { get; } = new();

    /// <summary>Seed of every random choice (permutations, selection, priority). 0 is an ordinary seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>SPEC step 5: deal the arcs in a seed-derived order to remove input-order bias. Off by default.</summary>
    public bool PermuteRows { get; init; }

    /// <summary>Maximum number of threads; -1 (the default) uses every core. The routes never depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Explicit permutations replacing the seed-derived ones; the seed still drives selection.</summary>
    public PhasePermutations? Permutations { get; init; }

    /// <summary>
    /// Optional row-major <c>R × C</c> scores. When given, each source takes its top-k candidates by score (ties to
    /// the lower target index), stored best first, instead of a random k-subset. A score of
    /// <see cref="float.NegativeInfinity"/> marks a pair that may never be chosen; NaN is rejected. A <c>float[]</c>
    /// converts implicitly; a slice of a larger, reused buffer (<c>buffer.AsMemory(0, R * C)</c>) avoids allocating
    /// per call. Empty scores, such as a null <c>float[]</c> (which converts to empty memory), mean no scores.
    /// </summary>
    public ReadOnlyMemory<float>? Scores
    {
        get => _scores;
        init => _scores = value is { IsEmpty: true } ? null : value;
    }

    /// <summary>
    /// Optional per-target capacities (length C, each ≥ 0): guarantees <c>load_j ≤ cap_j</c>. Sources are then served
    /// one after another in a deterministic priority order (with scores, highest best-candidate score first, ties by
    /// source index; without, a seed-derived order), and a source skips full targets for its next candidates.
    /// </summary>
    public int[]? TargetCapacities { get; init; }

    /// <summary>Optional per-source fan-out limits (length R, each in <c>[0, k]</c>); by default every source may take k.</summary>
    public int[]? SourceLimits { get; init; }

    /// <summary>
    /// How the seed-derived permutations are drawn: <see cref="PermutationMethod.Shuffle"/> (the default) or
    /// <see cref="PermutationMethod.Feistel"/>, which lets a shard of the sources cost O(shard + C) instead of O(R).
    /// The two give different routes; each is deterministic.
    /// </summary>
    public PermutationMethod PermutationMethod { get; init; } = PermutationMethod.Shuffle;

    /// <summary>Which kernel computes the candidates; every kernel gives the same routes.</summary>
    public RouterKernel Kernel { get; init; } = RouterKernel.Auto;
}
