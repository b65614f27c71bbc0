using ScottPlot;

namespace PhaseRouter.Evaluation.Reporting;

/// <summary>The PNG charts of the suite (ScottPlot 5): lines with error bars, log-scaled lines and load histograms.</summary>
public static class Charts
{
    /// <summary>Chart width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Chart height in pixels.</summary>
    public const int Height = 540;

    /// <summary>One series of a line chart: x, mean y, optional error (std) and whether it is a reference drawn dashed.</summary>
    public sealed record Series(string Label, double[] X, double[] Y, double[]? Error = null, bool Reference = false, int? ColorIndex = null);

    /// <summary>A line chart, optionally with log10 axes (values ≤ 0 are left out on a log axis).</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="title">The title.</param>
    /// <param name="xLabel">The x label.</param>
    /// <param name="yLabel">The y label.</param>
    /// <param name="series">The series.</param>
    /// <param name="logX">Whether x is log-scaled.</param>
    /// <param name="logY">Whether y is log-scaled.</param>
    /// <param name="horizontalLine">A dashed horizontal guide (e.g. a skew threshold), or null.</param>
    public static void Lines(string path, string title, string xLabel, string yLabel, IReadOnlyList<Series> series,
        bool logX = false, bool logY = false, double? horizontalLine = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < series.Count; s++)
        {
            Series line = series[s];
            var keep = Enumerable.Range(0, line.X.Length)
                .Where(i => double.IsFinite(line.Y[i]) && (!logX || line.X[i] > 0) && (!logY || line.Y[i] > 0)).ToArray();
            if (keep.Length == 0)
            {
                continue;
            }

            double[] xs = keep.Select(i => logX ? Math.Log10(line.X[i]) : line.X[i]).ToArray();
            double[] ys = keep.Select(i => logY ? Math.Log10(line.Y[i]) : line.Y[i]).ToArray();
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = line.Label;
            scatter.Color = palette.GetColor((line.ColorIndex ?? s) % 10);
            scatter.LineWidth = 2;
            scatter.MarkerSize = line.Reference ? 6 : 8;
            if (line.Reference)
            {
                scatter.LinePattern = LinePattern.Dashed;
            }

            if (line.Error is { } error && !logY)
            {
                var bars = plot.Add.ErrorBar(xs, ys, keep.Select(i => error[i]).ToArray());
                bars.Color = scatter.Color;
            }
        }

        if (horizontalLine is { } level)
        {
            var guide = plot.Add.HorizontalLine(logY ? Math.Log10(level) : level);
            guide.LinePattern = LinePattern.Dashed;
            guide.Color = Colors.Red.WithAlpha(0.5);
        }

        if (logX)
        {
            plot.Axes.Bottom.TickGenerator = LogTicks();
        }

        if (logY)
        {
            plot.Axes.Left.TickGenerator = LogTicks();
        }

        plot.Title(title);
        plot.XLabel(xLabel + (logX ? " (log)" : string.Empty));
        plot.YLabel(yLabel + (logY ? " (log)" : string.Empty));
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// A histogram of per-target loads: one bar per load value, the number of targets with that load on a log10 axis
    /// (as the original's histograms), with the skew in the title.
    /// </summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="title">The title (the skew and the mean are appended).</param>
    /// <param name="loads">Per-target loads.</param>
    public static void LoadHistogram(string path, string title, ReadOnlySpan<int> loads)
    {
        int max = 0;
        long sum = 0;
        foreach (int load in loads)
        {
            max = Math.Max(max, load);
            sum += load;
        }

        // Wide ranges are binned so that the chart keeps at most 200 bars.
        int width = Math.Max(1, (max + 200) / 200);
        var counts = new long[max / width + 1];
        foreach (int load in loads)
        {
            counts[load / width]++;
        }

        var plot = new Plot();
        var bars = new List<Bar>();
        for (int b = 0; b < counts.Length; b++)
        {
            if (counts[b] == 0)
            {
                continue;
            }

            // log10(count + 1) keeps a single target visible above the axis.
            bars.Add(new Bar
            {
                Position = b * width + (width - 1) / 2.0,
                Value = Math.Log10(counts[b] + 1),
                Size = width * 0.9,
                FillColor = Colors.SteelBlue,
                LineWidth = 0,
            });
        }

        plot.Add.Bars(bars);
        plot.Axes.Left.TickGenerator = LogTicks(plusOne: true);
        double mean = loads.Length > 0 ? (double)sum / loads.Length : 0;
        double skew = mean > 0 ? max / mean : 0;
        plot.Title($"{title}\nmax {max}, mean {mean:0.###}, skew {skew:0.00}");
        plot.XLabel(width == 1 ? "target load" : $"target load (bins of {width})");
        plot.YLabel("targets (log)");
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, Width, Height);
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks(bool plusOne = false) => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => (Math.Pow(10, v) - (plusOne ? 1 : 0)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
    };
}
