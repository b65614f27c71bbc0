namespace PhaseRouter;

/// <summary>Which implementation computes the candidate sets. All give bit-identical routes.</summary>
public enum RouterKernel
{
    /// <summary>
    /// The fastest kernel for the call: <see cref="Sweep"/> where it applies and its estimated work is the smaller,
    /// else <see cref="ArcScan"/>.
    /// </summary>
    Auto = 0,

    /// <summary>
    /// The closed form, O(Σ min(s_i, ΣT/R)): each source scans its arc of the source ring with vector compares,
    /// or, when its arc is long, looks up the few targets whose arcs cover its place on the target ring.
    /// </summary>
    ArcScan = 1,

    /// <summary>
    /// The faithful pipeline of SPEC §1 over packed words: rotate, permute columns, transpose, AND.
    /// O(R·C/64) words of memory and work; kept as an independent check of <see cref="ArcScan"/>.
    /// </summary>
    BitParallel = 2,

    /// <summary>
    /// The closed form for all sources at once, O(R + C + Σt/64 + candidates): one sweep round the source ring keeps a
    /// bitmap of the sources covering the current place, each target reads its arc of that bitmap, and the pairs are
    /// dealt back to the sources in ascending target order (no per-source sort). Used for a whole routing with random
    /// selection and no capacities; other calls (shards, scores, capacities) fall back to <see cref="ArcScan"/>.
    /// </summary>
    Sweep = 3,
}
