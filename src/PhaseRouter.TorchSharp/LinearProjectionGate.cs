using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// A gate whose logits come from a learned linear map <c>modelDim → E</c> without bias (<see cref="Projection"/>):
/// the phase, softmax top-k, expert-choice and balanced-assignment gates. The input must have the map's dtype.
/// </summary>
/// <remarks>
/// Lifetime: the map is a registered submodule (<see cref="ProjectionModuleName"/>, registered by the derived gate's <c>RegisterComponents()</c>), so it is a parameter of the gate,
/// moves with <c>.to(…)</c>, is saved in the state dict as <c>linear.weight</c> and is disposed with the gate.
/// </remarks>
public abstract class LinearProjectionGate : MoeGate
{
    /// <summary>The submodule name of <see cref="Projection"/> in the state dict (<c>linear.weight</c>).</summary>
    public const string ProjectionModuleName = "linear";

    // Named "linear" because that is its state-dict name (linear.weight) in every release; the derived gate's
    // RegisterComponents() registers it (TorchSharp's reflection walks the base classes' fields too).
    private readonly Linear linear;

    /// <summary>
    /// Validates the options (see <see cref="MoeGate"/>) and creates the linear map; the derived gate's constructor
    /// ends with <c>RegisterComponents()</c>, which registers it.
    /// </summary>
    /// <param name="name">Module name.</param>
    /// <param name="modelDim">Width of a token (≥ 1).</param>
    /// <param name="options">Gate settings; validated and copied.</param>
    protected LinearProjectionGate(string name, int modelDim, MoeGateOptions options) : base(name, modelDim, options)
    {
        linear = nn.Linear(modelDim, Options.Experts, hasBias: false);
    }

    /// <summary>The gate's linear map <c>modelDim → E</c> (no bias).</summary>
    public Linear Projection => linear;

    /// <inheritdoc />
    protected override Tensor? DtypeReference => linear.weight;
}
