namespace PhaseRouter;

/// <summary>How the seed-derived permutations of SPEC steps 4 and 5 are drawn. Both are seed-deterministic.</summary>
public enum PermutationMethod
{
    /// <summary>
    /// Fisher–Yates shuffles (<see cref="PhaseRandom.Permutation"/>): exactly uniform, the default, pinned by the golden
    /// hashes. Knowing one entry of πT (a permutation of the R sources) needs the whole shuffle: O(R) time and memory.
    /// </summary>
    Shuffle = 0,

    /// <summary>
    /// A keyed Feistel network with cycle walking (<see cref="IndexPermutation"/>): any entry is computed on its own in
    /// O(1), so a shard of the sources costs O(shard + C) however large R is. Pseudorandom rather than exactly uniform,
    /// and it gives different routes from <see cref="Shuffle"/>.
    /// </summary>
    Feistel = 1,
}
