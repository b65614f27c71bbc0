using System.Runtime.InteropServices;
using PhaseRouter.TorchSharp;

namespace PhaseRouter.TorchSharp.Tests;

public partial class OpenMpWaitPolicyTests
{
    [Fact]
    public void PreferPassive_WritesTheNativeEnvironment_AndKeepsAUserValue()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string? before = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        bool set = OpenMpWaitPolicy.PreferPassive();
        string? native = Marshal.PtrToStringUTF8(GetEnv("OMP_WAIT_POLICY"));
        if (before is null)
        {
            Assert.True(set);
            Assert.Equal("PASSIVE", native);
        }
        else
        {
            Assert.False(set);
            Assert.Equal(before, native);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
