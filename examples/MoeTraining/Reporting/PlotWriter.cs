using PhaseRouter.Examples.MoeTraining.Training;
using ScottPlot;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>Writes the PNG plots (ScottPlot 5): training loss per gate and expert load per gate.</summary>
public static class PlotWriter
{
    /// <summary>Plot width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Plot height in pixels.</summary>
    public const int Height = 520;

    /// <summary>Writes training-loss.png and expert-load.png into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<RunResult> runs, string directory)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Directory.CreateDirectory(directory);
        var loss = Path.Combine(directory, "training-loss.png");
        var load = Path.Combine(directory, "expert-load.png");
        WriteLossPlot(runs, loss);
        WriteLoadPlot(runs, load);
        return [loss, load];
    }

    /// <summary>Training loss per step (a moving average over 20 steps), one line per gate.</summary>
    public static void WriteLossPlot(IReadOnlyList<RunResult> runs, string path)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int g = 0; g < runs.Count; g++)
        {
            var curve = MovingAverage(runs[g].LossCurve, 20);
            if (curve.Length == 0)
            {
                continue;
            }

            var xs = Enumerable.Range(1, curve.Length).Select(i => (double)i).ToArray();
            var line = plot.Add.ScatterLine(xs, curve);
            line.LegendText = runs[g].Gate;
            line.Color = palette.GetColor(g);
            line.LineWidth = 2;
        }

        plot.Title("Training loss per gate (moving average of 20 steps)");
        plot.XLabel("step");
        plot.YLabel("cross-entropy");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// Mean test load of each expert, bars grouped by expert and coloured by gate, with each gate's
    /// capacity as a dashed line.
    /// </summary>
    public static void WriteLoadPlot(IReadOnlyList<RunResult> runs, string path)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int n = Math.Max(1, runs.Count);
        double width = 0.8 / n;
        for (int g = 0; g < runs.Count; g++)
        {
            var loads = runs[g].TestLoadPerExpert;
            var positions = Enumerable.Range(0, loads.Length).Select(e => e - 0.4 + (width * (g + 0.5))).ToArray();
            var bars = plot.Add.Bars(positions, loads);
            bars.LegendText = runs[g].Gate;
            bars.Color = palette.GetColor(g);
            foreach (var bar in bars.Bars)
            {
                bar.Size = width * 0.9;
            }
        }

        foreach (var capacity in runs.Select(r => r.Capacity).Distinct())
        {
            var line = plot.Add.HorizontalLine(capacity);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Black;
            line.LegendText = $"capacity {capacity}";
        }

        int experts = runs.Count == 0 ? 0 : runs.Max(r => r.TestLoadPerExpert.Length);
        plot.Axes.Bottom.SetTicks(
            Enumerable.Range(0, experts).Select(e => (double)e).ToArray(),
            Enumerable.Range(0, experts).Select(e => $"expert {e}").ToArray());
        double top = runs.SelectMany(r => r.TestLoadPerExpert.Append(r.Capacity)).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, top * 1.35); // room above the bars for the legend
        plot.Title("Mean tokens per expert per test batch");
        plot.YLabel("tokens");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Trailing moving average (the first points average what is there).</summary>
    public static double[] MovingAverage(IReadOnlyList<double> values, int window)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        var result = new double[values.Count];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }

            result[i] = sum / Math.Min(i + 1, window);
        }

        return result;
    }
}
