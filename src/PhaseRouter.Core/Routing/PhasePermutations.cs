namespace PhaseRouter;

/// <summary>
/// Explicit permutations for SPEC steps 4 and 5 (the original's advanced API): when given in
/// <see cref="RouterOptions.Permutations"/> they replace the seed-derived ones, and the seed then drives only the
/// selection of step 8. Lets a caller, or a test, pin every random choice.
/// </summary>
/// <param name="SourceColumns">πS, a permutation of <c>[0, C)</c>: target <c>j</c> sits at position <c>πS[j]</c> of the source ring.</param>
/// <param name="TargetColumns">πT, a permutation of <c>[0, R)</c>: source <c>i</c> sits at position <c>πT[i]</c> of the target ring.</param>
/// <param name="SourceRows">ρS, a permutation of <c>[0, R)</c>: the order in which source arcs are dealt; <see langword="null"/> = identity.</param>
/// <param name="TargetRows">ρT, a permutation of <c>[0, C)</c>: the order in which target arcs are dealt; <see langword="null"/> = identity.</param>
public sealed record PhasePermutations(int[] SourceColumns, int[] TargetColumns, int[]? SourceRows = null, int[]? TargetRows = null)
{
    /// <summary>The permutations the router derives from <paramref name="seed"/> for an <c>R × C</c> problem.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="sources">R, the number of sources.</param>
    /// <param name="targets">C, the number of targets.</param>
    /// <param name="permuteRows">Whether step 5 is on (ρS and ρT are then seed-derived, else <see langword="null"/>).</param>
    public static PhasePermutations FromSeed(ulong seed, int sources, int targets, bool permuteRows = false) =>
        FromSeed(seed, sources, targets, permuteRows, PermutationMethod.Shuffle);

    /// <summary>The permutations the router derives from <paramref name="seed"/> with the given method.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="sources">R, the number of sources.</param>
    /// <param name="targets">C, the number of targets.</param>
    /// <param name="permuteRows">Whether step 5 is on (ρS and ρT are then seed-derived, else <see langword="null"/>).</param>
    /// <param name="method">How the permutations are drawn (<see cref="RouterOptions.PermutationMethod"/>).</param>
    public static PhasePermutations FromSeed(ulong seed, int sources, int targets, bool permuteRows, PermutationMethod method) => new(
        Seeded(seed, PhaseRandom.SourceColumnsDomain, targets, method),
        Seeded(seed, PhaseRandom.TargetColumnsDomain, sources, method),
        permuteRows ? Seeded(seed, PhaseRandom.SourceRowsDomain, sources, method) : null,
        permuteRows ? Seeded(seed, PhaseRandom.TargetRowsDomain, targets, method) : null);

    /// <summary>One seed-derived permutation of <c>[0, length)</c> drawn with <paramref name="method"/>.</summary>
    internal static int[] Seeded(ulong seed, ulong domain, int length, PermutationMethod method) =>
        method == PermutationMethod.Feistel
            ? new IndexPermutation(seed, domain, length).ToArray()
            : PhaseRandom.Permutation(seed, domain, length);
}
