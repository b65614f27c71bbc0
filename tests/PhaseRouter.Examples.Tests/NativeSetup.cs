using System.Runtime.CompilerServices;

namespace PhaseRouter.Examples.Tests;

/// <summary>Runs when the test assembly loads, before any test touches libtorch.</summary>
internal static class NativeSetup
{
    /// <summary>libtorch's OpenMP threads would otherwise spin between parallel regions and slow the run severalfold on 2 cores.</summary>
    [ModuleInitializer]
    internal static void PreferPassiveOpenMp() => PhaseRouter.TorchSharp.OpenMpWaitPolicy.PreferPassive();
}
