using PhaseRouter.Examples.Tests.Training;
using PhaseRouter.ML.TorchSharp;

namespace PhaseRouter.ML.Tests.MixtureOfExperts;

/// <summary>
/// The trainer follows the rule that fixed the intermittent native crash (issue 13): no TorchSharp Scalar is made by
/// implicit conversion, where a collection on another thread could finalize it while libtorch reads it.
/// </summary>
public sealed class ImplicitScalarTests
{
    [Fact]
    public void TheTrainerCreatesNoImplicitScalar()
    {
        var calls = ImplicitScalarScanner.Find(typeof(MixtureOfExpertsMulticlassTrainer).Assembly);
        Assert.True(calls.Count == 0, "Implicit Scalar conversions:\n" + string.Join("\n", calls));
    }
}
