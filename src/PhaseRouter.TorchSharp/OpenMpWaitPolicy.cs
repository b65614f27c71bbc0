using System.Runtime.InteropServices;

namespace PhaseRouter.TorchSharp;

/// <summary>
/// Makes libtorch's OpenMP worker threads sleep, rather than spin, between parallel regions. Spinning threads starve
/// everything else on a small machine, the router's own worker threads included: on 2 cores the example's phase-gate
/// run took 14.5 s instead of 6.5 s, and the whole run more than twice the CPU time. OpenMP reads
/// <c>OMP_WAIT_POLICY</c> from the native environment when libtorch loads, and
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change that environment, so this sets it
/// through libc. Call it first thing in <c>Main</c>, before any torch call.
/// </summary>
public static partial class OpenMpWaitPolicy
{
    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the native environment on Linux unless the variable is already set
    /// (a value the user chose is kept). Has no effect once libtorch is loaded.
    /// </summary>
    /// <returns>Whether the variable was set by this call.</returns>
    public static bool PreferPassive()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
        {
            return false;
        }

        return SetEnv("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0) == 0;
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
