using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PhaseRouter.TorchSharp.Tests;

/// <summary>TorchSharp's native library loads on this host (see buildTransitive/PhaseRouter.TorchSharp.targets).</summary>
public sealed class NativeLoadingTests
{
    private static readonly string[] LibraryDirectories =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    [Fact]
    public void LinearForwardAndBackwardGiveFiniteNonZeroGradients()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        using var linear = nn.Linear(4, 3);
        var x = randn(5, 4);
        var y = linear.call(x);
        Assert.Equal(new long[] { 5, 3 }, y.shape);

        var loss = y.pow(2).sum();
        loss.backward();

        foreach (var (name, parameter) in linear.named_parameters())
        {
            var grad = parameter.grad;
            Assert.NotNull(grad);
            Assert.True(isfinite(grad).all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(grad.abs().sum().item<float>() > 0, $"{name} has a zero gradient");
        }
    }

    [Fact]
    public void OutputCopyOfLibTorchSharpRequiresGlibcxx3432WeaklyExactlyWhenTheHostLacksIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string library = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(library), library);
        string? host = LibraryDirectories
            .Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
        if (host is null || Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") is { Length: > 0 })
        {
            return;   // the build's own check may have looked elsewhere
        }

        bool hostHasVersion = File.ReadAllBytes(host).AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0;
        ushort? flags = VernauxFlags(File.ReadAllBytes(library), "GLIBCXX_3.4.32");
        Assert.NotNull(flags);
        Assert.Equal(!hostHasVersion, (flags.Value & 2) != 0);
    }

    /// <summary>The vna_flags of the Vernaux entry naming <paramref name="version"/> in an ELF64 little-endian file.</summary>
    private static ushort? VernauxFlags(byte[] elf, string version)
    {
        var b = elf.AsSpan();
        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(b[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(b[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(b[0x3C..]);
        byte[] name = Encoding.ASCII.GetBytes(version + "\0");
        for (int s = 0; s < shnum; s++)
        {
            var header = b[(int)(shoff + s * shentsize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != 0x6ffffffe)
            {
                continue;
            }

            int offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            int strtab = (int)BinaryPrimitives.ReadUInt64LittleEndian(b[(int)(shoff + link * shentsize + 0x18)..]);
            int vn = offset;
            for (int v = 0; v < count; v++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(b[(vn + 2)..]);
                int vna = vn + (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(vn + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    int nameOffset = strtab + (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(vna + 8)..]);
                    if (b.Slice(nameOffset, name.Length).SequenceEqual(name))
                    {
                        return BinaryPrimitives.ReadUInt16LittleEndian(b[(vna + 4)..]);
                    }

                    vna += (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(vna + 12)..]);
                }

                vn += (int)BinaryPrimitives.ReadUInt32LittleEndian(b[(vn + 12)..]);
            }
        }

        return null;
    }
}
