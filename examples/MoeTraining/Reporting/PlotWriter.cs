using PhaseRouter.Examples.MoeTraining.Training;
using ScottPlot;

namespace PhaseRouter.Examples.MoeTraining.Reporting;

/// <summary>Writes the PNG plots (ScottPlot 5): training loss, expert load and MaxVio per step, one series per gate.</summary>
public static class PlotWriter
{
    /// <summary>Plot width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Plot height in pixels.</summary>
    public const int Height = 520;

    /// <summary>
    /// Writes training-loss.png, expert-load.png and maxvio-batch.png into <paramref name="directory"/> (one series per
    /// run: pass one seed's runs); returns their paths. A plot that cannot be written throws (IOException,
    /// UnauthorizedAccessException).
    /// </summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<RunResult> runs, string directory)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Directory.CreateDirectory(directory);
        var loss = Path.Combine(directory, "training-loss.png");
        var load = Path.Combine(directory, "expert-load.png");
        var maxVio = Path.Combine(directory, "maxvio-batch.png");
        WriteLossPlot(runs, loss);
        WriteLoadPlot(runs, load);
        WriteMaxVioPlot(runs, maxVio);
        return [loss, load, maxVio];
    }

    /// <summary>MaxVio of the processed loads per training step (mean over the MoE blocks, moving average of 20 steps), one line per gate.</summary>
    public static void WriteMaxVioPlot(IReadOnlyList<RunResult> runs, string path) =>
        WriteStepPlot(
            runs, r => r.MaxVioCurve, path,
            "MaxVio_batch per step (max / mean load − 1, mean over MoE blocks, 20-step average)", "MaxVio");

    /// <summary>One line per run of a per-step series (a moving average over 20 steps).</summary>
    private static void WriteStepPlot(
        IReadOnlyList<RunResult> runs, Func<RunResult, double[]> series, string path, string title, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int g = 0; g < runs.Count; g++)
        {
            var curve = MovingAverage(series(runs[g]), 20);
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

        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        SaveChecked(plot, path);
    }

    /// <summary>Saves the PNG and checks that a file came out (ScottPlot reports some failures only by writing nothing).</summary>
    private static void SaveChecked(Plot plot, string path)
    {
        plot.SavePng(path, Width, Height);
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            throw new IOException($"The plot {path} was not written.");
        }
    }

    /// <summary>
    /// The packed matrices of one batch of the packed policy (<see cref="PhaseRouter.TorchSharp.RoutingPlan.PackedSources"/>,
    /// <see cref="PhaseRouter.TorchSharp.RoutingPlan.PackedTargets"/>) as one heatmap over the first tokens: the upper band is
    /// S transposed (expert rows, token columns: a token's top-m experts), the lower band T (a token is lit in expert
    /// e's row when it ranks e among its top-a).
    /// </summary>
    /// <param name="sources">S, tokens × E.</param>
    /// <param name="targets">T, E × tokens.</param>
    /// <param name="path">The PNG to write.</param>
    /// <param name="maxTokens">How many tokens to show (at least 1).</param>
    /// <exception cref="ArgumentException">The shapes do not match or <paramref name="maxTokens"/> is below 1.</exception>
    public static void WritePackedPlot(BitMatrix sources, BitMatrix targets, string path, int maxTokens = 128)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        if (targets.Rows != sources.Columns || targets.Columns != sources.Rows)
        {
            throw new ArgumentException(
                $"T must be E × tokens = {sources.Columns} × {sources.Rows} for S of {sources.Rows} × {sources.Columns}; got {targets.Rows} × {targets.Columns}.",
                nameof(targets));
        }

        if (sources.Rows == 0)
        {
            throw new ArgumentException("S has no tokens to show.", nameof(sources));
        }

        int experts = sources.Columns;
        int tokens = Math.Min(maxTokens, sources.Rows);
        var cells = new double[2 * experts + 1, tokens];
        for (int t = 0; t < tokens; t++)
        {
            cells[experts, t] = double.NaN; // a transparent gap between the bands
            for (int e = 0; e < experts; e++)
            {
                // The heatmap draws row 0 at the top and its y axis counts up from the bottom row: T's expert e goes
                // to y = e, S's to y = E + 1 + e.
                cells[2 * experts - e, t] = targets[e, t] ? 1 : 0;
                cells[experts - 1 - e, t] = sources[t, e] ? 1 : 0;
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        long depth = targets.CountOnes() / sources.Rows; // every token sets a bits of T
        plot.Title($"Packed S (upper band, each token's top {sources.RowDegree(0)}) and T (lower band, top {depth})");
        plot.XLabel($"token (first {tokens} of {sources.Rows})");
        plot.YLabel($"expert e (T: rows 0..{experts - 1}; S: rows {experts + 1}..{2 * experts})");
        SaveChecked(plot, path);
    }

    /// <summary>Training loss per step (a moving average over 20 steps), one line per gate.</summary>
    public static void WriteLossPlot(IReadOnlyList<RunResult> runs, string path) =>
        WriteStepPlot(runs, r => r.LossCurve, path, "Training loss per gate (moving average of 20 steps)", "cross-entropy");

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
        plot.Axes.SetLimitsY(0, top * (1.2 + (0.1 * runs.Count))); // room above the bars for the legend, one line per gate
        plot.Title("Mean tokens per expert per test batch (last MoE block)");
        plot.YLabel("tokens");
        plot.ShowLegend(Alignment.UpperRight);
        SaveChecked(plot, path);
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
