using System.Diagnostics;

namespace PhaseRouter.Soak;

/// <summary>Starts copies of this program: the soak under a garbage-collector setting, and the CPU burner.</summary>
internal static class ChildProcesses
{
    /// <summary>The environment variable that sets the gen-0 budget; the runtime reads it only at start-up.</summary>
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

    /// <summary>Whether this process already runs with <paramref name="gen0Size"/> as its gen-0 budget (or none is asked).</summary>
    public static bool HasGen0Size(string gen0Size) =>
        gen0Size.Length == 0 || string.Equals(Environment.GetEnvironmentVariable(Gen0SizeVariable), gen0Size, StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs this program again with the same arguments under <paramref name="gen0Size"/> and returns its exit code.</summary>
    public static int RerunWithGen0Size(string gen0Size, IEnumerable<string> args)
    {
        var info = SelfStartInfo(args);
        info.Environment[Gen0SizeVariable] = gen0Size;
        using var child = Process.Start(info) ?? throw new InvalidOperationException("Could not start the soak process.");
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>Starts the burner: a copy of this program spinning one thread per core for <paramref name="seconds"/>.</summary>
    public static Process StartBurner(int seconds)
    {
        var info = SelfStartInfo(["burn", "--seconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        info.Environment.Remove(Gen0SizeVariable);
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the CPU burner.");
    }

    /// <summary>Keeps every core busy for <paramref name="seconds"/> (the burner's own body).</summary>
    public static void Burn(int seconds)
    {
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var threads = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            double x = 1;
            while (Stopwatch.GetTimestamp() < until)
            {
                for (int i = 0; i < 100_000; i++)
                {
                    x = Math.Sqrt(x + i);
                }
            }

            GC.KeepAlive(x);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }

    private static ProcessStartInfo SelfStartInfo(IEnumerable<string> args)
    {
        string path = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var info = new ProcessStartInfo(path) { UseShellExecute = false };
        // Under `dotnet PhaseRouter.Soak.dll` the process is the host; pass it the assembly again.
        if (string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(ChildProcesses).Assembly.Location);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }
}
