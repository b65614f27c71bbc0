using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace PhaseRouter.Evaluation.Reporting;

/// <summary>The machine a result was measured on, written under every Markdown table (as the original does).</summary>
public sealed record MachineInfo(
    [property: JsonPropertyName("os")] string OperatingSystem,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("cpu_model")] string CpuModel,
    [property: JsonPropertyName("logical_cpus")] int LogicalCpus,
    [property: JsonPropertyName("total_ram_gb")] double TotalRamGb,
    [property: JsonPropertyName("runtime")] string Runtime)
{
    /// <summary>The machine the process runs on.</summary>
    public static MachineInfo Current()
    {
        double ramGb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return new MachineInfo(RuntimeInformation.OSDescription, RuntimeInformation.OSArchitecture.ToString(), ReadCpuModel(),
            Environment.ProcessorCount, Math.Round(ramGb, 2), RuntimeInformation.FrameworkDescription);
    }

    /// <summary>Markdown bullet lines describing the machine.</summary>
    public string ToMarkdown() =>
        $"""
        **Machine (ours):**

        - OS: {OperatingSystem}
        - Architecture: {Architecture}
        - CPU model: {CpuModel}
        - Logical CPUs: {LogicalCpus}
        - Total RAM: {TotalRamGb:0.##} GB
        - Runtime: {Runtime}
        - Load average when written (1 / 5 / 15 min): {LoadAverage()}

        """;

    /// <summary>/proc/loadavg's first three fields, or "unknown": how busy the machine was, since timings depend on it.</summary>
    private static string LoadAverage()
    {
        const string loadAvg = "/proc/loadavg";
        try
        {
            return File.Exists(loadAvg) ? string.Join(" / ", File.ReadAllText(loadAvg).Split(' ').Take(3)) : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string ReadCpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(cpuInfo))
            {
                string? line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null && line.IndexOf(':', StringComparison.Ordinal) is int colon and >= 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // The model is informational; an unreadable /proc leaves it unknown.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }

        return "unknown";
    }
}
