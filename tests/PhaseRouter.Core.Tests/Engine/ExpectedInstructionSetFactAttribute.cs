namespace PhaseRouter.Core.Tests.Engine;

/// <summary>
/// A fact that runs only when <c>PHASEROUTER_EXPECT_ISA</c> names the instruction sets the test run was started with
/// (<c>.ci/run</c> sets it for its runs without AVX-512 and without intrinsics); elsewhere it is reported as skipped.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ExpectedInstructionSetFactAttribute : FactAttribute
{
    /// <summary>The environment variable: <c>avx512</c>, <c>vector</c> (Vector256/128 without Vector512) or <c>scalar</c>.</summary>
    public const string Variable = "PHASEROUTER_EXPECT_ISA";

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <see cref="Variable"/> is not set.</summary>
    public ExpectedInstructionSetFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: only the runs of .ci/run that switch instruction sets off say what to expect.";
        }
    }
}
