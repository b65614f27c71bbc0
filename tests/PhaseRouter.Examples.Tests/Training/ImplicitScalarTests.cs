using PhaseRouter.Examples.MoeTraining.Training;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.Examples.Tests.Training;

/// <summary>
/// The rule that fixed the intermittent native crash of issue 13: no code of the library or the example lets TorchSharp
/// convert a number to a <c>Scalar</c> implicitly; every Scalar is made with <c>ToScalar()</c> and
/// disposed after the call that reads it.
/// </summary>
public sealed class ImplicitScalarTests
{
    [Fact]
    public void TheLibraryCreatesNoImplicitScalar() => AssertNone(ImplicitScalarScanner.Find(typeof(MoeLayer).Assembly));

    [Fact]
    public void TheExampleCreatesNoImplicitScalar() => AssertNone(ImplicitScalarScanner.Find(typeof(GateTrainer).Assembly));

    [Fact]
    public void TheScannerFindsTorchSharpsAdamAndTheHiddenAlphaOfAdd()
    {
        // The scanner must see what crashed: TorchSharp's Adam (through its step lambda) and add_(Scalar), whose
        // alpha = 1 is an implicit Scalar inside TorchSharp.
        var adam = ImplicitScalarScanner.Find(typeof(global::TorchSharp.Modules.Adam).Assembly)
            .Where(f => f.StartsWith("TorchSharp.Modules.Adam", StringComparison.Ordinal)).ToList();
        Assert.Contains(adam, f => f.Contains("op_Implicit(Double)", StringComparison.Ordinal));
        Assert.Contains(adam, f => f.Contains("add_(TorchSharp.Scalar)", StringComparison.Ordinal));
        Assert.DoesNotContain(ImplicitScalarScanner.Find(typeof(ScalarSafeAdam).Assembly),
            f => f.Contains(nameof(ScalarSafeAdam), StringComparison.Ordinal));
    }

    private static void AssertNone(IReadOnlyList<string> calls) =>
        Assert.True(calls.Count == 0, "Implicit Scalar conversions:\n" + string.Join("\n", calls));
}
