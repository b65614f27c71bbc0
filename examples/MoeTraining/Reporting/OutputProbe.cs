namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>Checks, before any training, that the output directory can be created and written.</summary>
public static class OutputProbe
{
    /// <summary>
    /// Creates <paramref name="directory"/> (with its parents) and writes and deletes a probe file in it. Returns null
    /// when that worked, else why not (one sentence naming the directory).
    /// </summary>
    public static string? Check(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "probe");
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot write to the output directory '{directory}': {ex.Message}";
        }
    }
}
