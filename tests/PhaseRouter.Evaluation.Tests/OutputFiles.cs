using System.Text.Json;

namespace PhaseRouter.Evaluation.Tests;

/// <summary>Checks that written files exist and parse as what their extension says.</summary>
internal static class OutputFiles
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static JsonDocument Json(string path)
    {
        Assert.True(File.Exists(path), $"missing {path}");
        return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = false });
    }

    /// <summary>The rows of a CSV file (header first); every row has as many cells as the header (no quoted commas are written for numbers).</summary>
    public static string[][] Csv(string path)
    {
        Assert.True(File.Exists(path), $"missing {path}");
        string[][] rows = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        Assert.True(rows.Length >= 2, $"{path} has no data rows");
        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        return rows;
    }

    public static void Png(string path)
    {
        Assert.True(File.Exists(path), $"missing {path}");
        byte[] head = File.ReadAllBytes(path).Take(8).ToArray();
        Assert.Equal(PngSignature, head);
        using var image = SixLabors.ImageSharp.Image.Load(path);
        Assert.True(image.Width > 100 && image.Height > 100);
    }

    public static int GifFrames(string path)
    {
        Assert.True(File.Exists(path), $"missing {path}");
        Assert.Equal("GIF89a"u8.ToArray(), File.ReadAllBytes(path).Take(6).ToArray());
        using var image = SixLabors.ImageSharp.Image.Load(path);
        return image.Frames.Count;
    }

    public static string Markdown(string path)
    {
        Assert.True(File.Exists(path), $"missing {path}");
        string text = File.ReadAllText(path);
        Assert.StartsWith("# ", text, StringComparison.Ordinal);
        return text;
    }

    /// <summary>Parses a file by its extension.</summary>
    public static void Parses(string path)
    {
        switch (Path.GetExtension(path))
        {
            case ".json":
                Json(path).Dispose();
                break;
            case ".csv":
                Csv(path);
                break;
            case ".png":
                Png(path);
                break;
            case ".gif":
                Assert.True(GifFrames(path) > 1);
                break;
            case ".md":
                Markdown(path);
                break;
            default:
                throw new InvalidOperationException($"no check for {path}");
        }
    }
}
