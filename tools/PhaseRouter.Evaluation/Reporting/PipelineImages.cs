using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace PhaseRouter.Evaluation.Reporting;

/// <summary>
/// Pictures of 0/1 matrices: each step of the pipeline as a titled PNG (a ScottPlot heatmap, ones dark), and all steps
/// as one animated GIF (frames assembled and encoded by SixLabors.ImageSharp, since ScottPlot writes no GIF).
/// </summary>
public static class PipelineImages
{
    /// <summary>Frame size in pixels.</summary>
    public const int Size = 640;

    /// <summary>How long each GIF frame shows, in hundredths of a second.</summary>
    public const int FrameDelay = 120;

    /// <summary>The PNG bytes of one titled matrix picture.</summary>
    /// <param name="matrix">The matrix; row 0 is drawn at the top.</param>
    /// <param name="title">The title.</param>
    /// <param name="caption">A line under the picture (e.g. the sizes).</param>
    public static byte[] Render(BitMatrix matrix, string title, string caption)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var cells = new double[matrix.Rows, matrix.Columns];
        for (int i = 0; i < matrix.Rows; i++)
        {
            for (int j = 0; j < matrix.Columns; j++)
            {
                cells[i, j] = matrix[i, j] ? 1 : 0;
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Title(title);
        plot.XLabel($"column (0 … {matrix.Columns - 1});  {caption}");
        plot.YLabel("row (0 at the top)");

        // The heatmap draws data row 0 at the top, on the cell centred at y = Rows − 1: label the ticks with row indices.
        int last = matrix.Rows - 1;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = y => (last - y).ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Margins(0, 0);
        return plot.GetImageBytes(Size, Size, ImageFormat.Png);
    }

    /// <summary>Writes an animated, endlessly looping GIF of the given PNG frames (all of the same size).</summary>
    /// <param name="path">The GIF file.</param>
    /// <param name="pngFrames">The frames, in order.</param>
    public static void SaveGif(string path, IReadOnlyList<byte[]> pngFrames)
    {
        ArgumentNullException.ThrowIfNull(pngFrames);
        if (pngFrames.Count == 0)
        {
            throw new ArgumentException("A GIF needs at least one frame.", nameof(pngFrames));
        }

        using Image<Rgba32> animation = SixLabors.ImageSharp.Image.Load<Rgba32>(pngFrames[0]);
        animation.Metadata.GetGifMetadata().RepeatCount = 0;
        animation.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = FrameDelay;
        for (int f = 1; f < pngFrames.Count; f++)
        {
            using Image<Rgba32> frame = SixLabors.ImageSharp.Image.Load<Rgba32>(pngFrames[f]);
            frame.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = FrameDelay;
            animation.Frames.AddFrame(frame.Frames.RootFrame);
        }

        animation.SaveAsGif(path, new GifEncoder { ColorTableMode = GifColorTableMode.Global });
    }
}
