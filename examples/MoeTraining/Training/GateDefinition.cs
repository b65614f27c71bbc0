using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>One gate the example can train with: its name on the command line and in reports, and how to build it.</summary>
/// <param name="Name">The name for <c>--gate</c> and the reports (lower case, e.g. <c>phase</c>).</param>
/// <param name="Description">What the gate does, in a few words.</param>
/// <param name="Create">Builds the gate of one MoE block from the model width, the block's options and the settings.</param>
public sealed record GateDefinition(string Name, string Description, Func<int, MoeGateOptions, ExperimentSettings, MoeGate> Create)
{
    /// <summary>True for a Phase Router gate (its <see cref="RunResult.Policy"/> is reported).</summary>
    public bool IsPhase { get; init; }

    /// <summary>The phase policy this entry always uses (<c>phase-menu</c> …); null: <c>--policy</c>.</summary>
    public GatePolicy? FixedPolicy { get; init; }

    /// <summary>True when the training loss adds the gate's auxiliary load-balancing loss (the softmax gate's).</summary>
    public bool UsesAuxLoss { get; init; }

    /// <summary>True when <c>--gate all</c> includes the gate.</summary>
    public bool InAll { get; init; } = true;

    /// <summary>The phase policy the gate routes with under <paramref name="settings"/>.</summary>
    public GatePolicy PolicyFor(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return FixedPolicy ?? settings.Policy;
    }
}
