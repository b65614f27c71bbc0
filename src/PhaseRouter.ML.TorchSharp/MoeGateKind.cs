namespace PhaseRouter.ML.TorchSharp;

/// <summary>The gate that routes rows to experts inside <see cref="MixtureOfExpertsMulticlassTrainer"/>'s network.</summary>
public enum MoeGateKind
{
    /// <summary>The Phase Router gate with the spill policy (the default): top-k by logit under capacity, overflow transported to residual capacity.</summary>
    PhaseSpill = 0,

    /// <summary>The Phase Router gate with the menu policy: top-k by logit within a balanced per-row menu.</summary>
    PhaseMenu = 1,

    /// <summary>The Phase Router gate with the oblivious policy: k experts at random from a balanced menu (logits ignored).</summary>
    PhaseOblivious = 2,

    /// <summary>The GShard/Switch baseline: softmax top-k, overflow dropped, Switch load-balancing loss.</summary>
    SoftmaxTopK = 3,

    /// <summary>The hash baseline: fixed pseudo-random experts per row position, no learned gate.</summary>
    Hash = 4,
}
