using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// TorchSharp's <see cref="Adam"/> with the same update, bit for bit, but whose <see cref="Scalar"/> arguments are
/// created explicitly and disposed only after the native call that reads them. Use it instead of
/// <c>torch.optim.Adam</c> to train a model with a <see cref="MoeLayer"/> (or any TorchSharp model).
/// </summary>
/// <remarks>
/// <para>
/// Why: TorchSharp 0.107's <see cref="Adam"/>.step passes plain doubles where the native call takes a
/// <see cref="Scalar"/> (<c>exp_avg.mul_(beta1)</c>, <c>add_(eps)</c>, …). Each double becomes a new
/// <see cref="Scalar"/> through the implicit conversion; the callee reads its native handle and hands it to libtorch,
/// after which nothing references the managed object. A garbage collection during that native call (triggered by any
/// other thread) can queue it for finalization, and its finalizer frees the native scalar while libtorch still reads
/// it: libtorch then fails with <c>Unknown scalar type</c> or <c>Expected false to be true</c> (from
/// <c>c10::Scalar::toFloat</c>), or silently uses a wrong value. Upstream: dotnet/TorchSharp pull requests #1434 and
/// #1496 (dispose implicitly converted scalars), open at the time of writing.
/// </para>
/// <para>
/// Lifetime: the optimizer owns its state tensors (<c>exp_avg</c>, <c>exp_avg_sq</c>, created detached from any
/// dispose scope when the parameters are added) until it is disposed; the parameters stay owned by their module.
/// The temporaries of a step live in the step's own dispose scope. Parameter groups, learning-rate schedulers and
/// state dictionaries work as for <see cref="Adam"/>, whose state this class shares.
/// </para>
/// </remarks>
public sealed class ScalarSafeAdam : Adam
{
    /// <summary>Creates the optimizer; the arguments mean what they mean for <c>torch.optim.Adam</c>.</summary>
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="lr">Learning rate (≥ 0).</param>
    /// <param name="beta1">Decay of the running mean of the gradient, in <c>[0, 1)</c>.</param>
    /// <param name="beta2">Decay of the running mean of the squared gradient, in <c>[0, 1)</c>.</param>
    /// <param name="eps">Added to the denominator (≥ 0).</param>
    /// <param name="weightDecay">L2 penalty (≥ 0).</param>
    /// <param name="amsgrad">Whether to use the AMSGrad variant.</param>
    /// <param name="maximize">Whether to maximise the objective instead.</param>
    /// <exception cref="ArgumentException">An argument is out of range (raised by <see cref="Adam"/>).</exception>
    public ScalarSafeAdam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>One Adam update of every parameter with a gradient (the same arithmetic as <see cref="Adam.step"/>).</summary>
    /// <param name="closure">Re-evaluates the model and returns the loss; optional.</param>
    /// <returns>The closure's loss, or <see langword="null"/>.</returns>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(UpdateGroup, closure);

    private void UpdateGroup(ParamGroup group)
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value;
        double beta2 = options.beta2!.Value;
        double weightDecay = options.weight_decay!.Value;
        bool amsgrad = options.amsgrad!.Value;
        bool maximize = options.maximize!.Value;
        double eps = options.eps!.Value;
        double lr = options.LearningRate!.Value;

        // Every Scalar below is referenced until its `using` ends, after the native calls that read it.
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var gradientWeight = (1 - beta1).ToScalar();
        using var squareWeight = (1 - beta2).ToScalar();
        using var epsScalar = eps.ToScalar();
        using var weightDecayScalar = weightDecay.ToScalar();
        using var one = 1.ToScalar(); // add_(Scalar) would make its alpha = 1 implicitly

        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null)
            {
                continue;
            }

            if (maximize)
            {
                grad = -grad;
            }

            state.step += 1;
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0)
            {
                grad = grad.add(param, alpha: weightDecayScalar);
            }

            state.exp_avg.mul_(beta1Scalar).add_(grad, alpha: gradientWeight);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), value: squareWeight);

            using var denominatorScale = Math.Sqrt(biasCorrection2).ToScalar();
            Tensor denominator;
            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                denominator = state.max_exp_avg_sq.sqrt().div(denominatorScale).add_(epsScalar, one);
            }
            else
            {
                denominator = state.exp_avg_sq.sqrt().div(denominatorScale).add_(epsScalar, one);
            }

            using var negativeStepSize = (-(lr / biasCorrection1)).ToScalar();
            param.addcdiv_(state.exp_avg, denominator, value: negativeStepSize);
        }
    }
}
