namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>The gate a run trains with.</summary>
public enum GateKind
{
    /// <summary>The Phase Router gate (spill, menu, oblivious or packed policy).</summary>
    Phase,

    /// <summary>Softmax top-k with capacity, token dropping and the Switch/GShard auxiliary loss.</summary>
    Softmax,

    /// <summary>A hash gate (fixed token → expert assignment).</summary>
    Hash,
}
