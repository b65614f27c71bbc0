namespace PhaseRouter;

/// <summary>Which implementation computes the candidate sets. All give bit-identical routes.</summary>
public enum RouterKernel
{
    /// <summary>The fastest kernel for the shape (currently <see cref="ArcScan"/>).</summary>
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
}
