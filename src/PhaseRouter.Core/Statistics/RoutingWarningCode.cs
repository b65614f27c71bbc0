namespace PhaseRouter.Statistics;

/// <summary>What a <see cref="RoutingWarning"/> is about.</summary>
public enum RoutingWarningCode
{
    /// <summary>Some sources have degree 0: they have no candidates and never get a route.</summary>
    EmptySourceRows = 1,

    /// <summary>Some targets have degree 0: they are nobody's candidate and never receive load.</summary>
    EmptyTargetRows = 2,

    /// <summary>
    /// Every source degree is 0 or every target degree is 0: there are no candidates at all, and every slot stays -1.
    /// </summary>
    NoCandidates = 3,

    /// <summary>
    /// Every source degree is C and every target degree is R: the degrees carry no structure, and routing reduces to
    /// choosing k of all C targets per source.
    /// </summary>
    AllDegreesFull = 4,

    /// <summary>
    /// k exceeds <c>⌈Σt/R⌉</c>, the most candidates any source can have (a source's place on the target ring lies in at
    /// most that many target arcs), so the slots beyond it always stay -1.
    /// </summary>
    KBeyondCandidates = 5,

    /// <summary>
    /// Fewer samples than <c>1/(1 − p)</c> for confidence p: the empirical p-quantile is then just the largest sample,
    /// and the estimate says little about the tail.
    /// </summary>
    TooFewSamples = 6,

    /// <summary>The target capacities add up to fewer than the R·k slots, so some slots will stay unfilled.</summary>
    CapacityBelowSlots = 7,

    /// <summary>No k up to the largest one tried reaches the asked balance.</summary>
    TargetSkewUnreachable = 8,

    /// <summary>
    /// The evaluated skews do not fall as k grows, so binary search, which assumes they do, may have missed a smaller
    /// k that meets the target.
    /// </summary>
    NonMonotoneSkew = 9,
}
