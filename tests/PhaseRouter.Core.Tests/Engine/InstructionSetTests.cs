using System.Runtime.Intrinsics;

namespace PhaseRouter.Core.Tests.Engine;

/// <summary>
/// The runs of the Core tests without AVX-512 and without intrinsics only test the Vector256/Vector128 paths and the
/// scalar tails if the runtime really switched those instruction sets off. Its knobs change: .NET 10 ignores
/// <c>DOTNET_EnableAVX512F=0</c> (the knob is now <c>DOTNET_EnableAVX512=0</c>), which made such a run test the AVX-512
/// paths a second time without anyone noticing. This test makes a knob that stops working fail CI.
/// </summary>
public class InstructionSetTests
{
    [ExpectedInstructionSetFact]
    public void Runtime_UsesTheInstructionSetsTheRunAskedFor()
    {
        string expected = Environment.GetEnvironmentVariable(ExpectedInstructionSetFactAttribute.Variable)!;
        string actual = Vector512.IsHardwareAccelerated ? "avx512"
            : Vector256.IsHardwareAccelerated || Vector128.IsHardwareAccelerated ? "vector"
            : "scalar";
        Assert.Equal(expected, actual);
    }
}
