using System.Diagnostics;
using PhaseRouter.Benchmarks.Inputs;
using Spectre.Console;

namespace PhaseRouter.Benchmarks.Quick;

/// <summary>
/// The `quick` command: median wall time of one Router call per shape and input form, after warm-up, with the
/// ratio to the original's figure where SPEC §5 has one. "compact ms" routes into reused compact buffers
/// (<see cref="RouteBuffers"/>); "padded ms" writes the original's R·k format into a reused buffer (the
/// <c>Memory&lt;int&gt;</c> overloads); "default ms" is the call a user writes first, which allocates its compact result.
/// For the precise numbers, run the BenchmarkDotNet classes.
/// </summary>
public static class QuickTable
{
    public static void Run(IReadOnlyList<int> sizes)
    {
        // Redirected output defaults to 80 columns, which would fold the table.
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 140);
        var table = new Table().Border(TableBorder.Markdown)
            .AddColumns("N", "k", "input", "compact ms", "original ms", "speed-up", "default ms", "padded ms", "note");
        var options = new RouterOptions { Seed = 1 };
        AnsiConsole.MarkupLine($"[grey]{Environment.ProcessorCount} cores, Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "on" : "off")}, .NET {Environment.Version}[/]");
        WarmUp(options);
        foreach (int n in sizes)
        {
            foreach (int k in new[] { 64, 512 })
            {
                var input = Section5Input.Create(n, k);
                double? original = OriginalFigures.Routing(n, k);
                var buffer = new int[n * k];
                var compact = new RouteBuffers();
                double packed = Median(() => Router.Route(input.Sources, input.Targets, k, compact, options));
                double packedNew = Median(() => Router.Route(input.Sources, input.Targets, k, options));
                double packedPadded = Median(() => Router.Route(input.Sources, input.Targets, k, buffer, options));
                double degrees = Median(() => Router.RouteDegrees(input.SourceDegrees, input.TargetDegrees, k, compact, options));
                double degreesNew = Median(() => Router.RouteDegrees(input.SourceDegrees, input.TargetDegrees, k, options));
                double degreesPadded = Median(() => Router.RouteDegrees(input.SourceDegrees, input.TargetDegrees, k, buffer, options));
                var (ds, dt) = input.Dense();
                double denseCompact = Median(() => Router.Route(ds, dt, k, compact, options));
                double densePadded = Median(() => Router.Route(ds, dt, k, buffer, options));
                double denseNew = Median(() => Router.Route(ds, dt, k, options));
                double gbps = 2.0 * n * n / (denseCompact / 1000) / 1e9;
                Add(table, n, k, "packed", packed, original, packedNew, packedPadded, "");
                Add(table, n, k, "degrees", degrees, original, degreesNew, degreesPadded, "");
                Add(table, n, k, "dense", denseCompact, original, denseNew, densePadded, $"{gbps:F1} GB/s read");
            }
        }

        AnsiConsole.Write(table);
    }

    private static void Add(Table table, int n, int k, string form, double? compactMs, double? original, double defaultMs,
        double paddedMs, string note)
    {
        double best = compactMs ?? defaultMs;
        table.AddRow(n.ToString(), k.ToString(), form, compactMs?.ToString("F3") ?? "—",
            original?.ToString("F1") ?? "—", original is { } o ? $"{o / best:F0}×" : "—", defaultMs.ToString("F3"),
            paddedMs.ToString("F3"), note);
    }

    /// <summary>Runs every entry point for a second first, so tiered compilation has finished before timing.</summary>
    private static void WarmUp(RouterOptions options)
    {
        var input = Section5Input.Create(512, 64, seed: 7);
        var (ds, dt) = input.Dense();
        var buffer = new int[512 * 64];
        var compact = new RouteBuffers();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 1)
        {
            Router.Route(input.Sources, input.Targets, 64, compact, options);
            Router.RouteDegrees(input.SourceDegrees, input.TargetDegrees, 64, compact, options);
            Router.Route(input.Sources, input.Targets, 64, buffer, options);
            Router.Route(input.Sources, input.Targets, 64, options);
            Router.RouteDegrees(input.SourceDegrees, input.TargetDegrees, 64, buffer, options);
            Router.RouteDegrees(input.SourceDegrees, input.TargetDegrees, 64, options);
            Router.Route(ds, dt, 64, buffer, options);
            Router.Route(ds, dt, 64, options);
        }
    }

    /// <summary>
    /// Median of timed runs (at least 5, more while under 0.5 s, at most 101) after a quarter of a second of untimed
    /// calls of the same shape and a blocking full collection. The warm-up: a kernel specialised for a shape the first
    /// warm-up never reaches (the sweep's eight-word blocks run only on sparse bitmaps) is compiled at its first call
    /// and reaches its optimised tier only after about thirty calls and the runtime's tiering delay, which two warm-up
    /// calls left inside the timed runs. The collection: the dense inputs leave hundreds of megabytes of garbage, and a
    /// background collection marking them on the other core slowed the next rows' timed calls by up to 40 %
    /// (measured with DOTNET_gcConcurrent=0 as the control). It does not compact, so the reused arrays stay where the
    /// warm-up left them (five full runs with a compacting collection all ran the N = 4096, k = 512 row in its slow
    /// mode, see the README's speed section; two later ones did not, so that is not settled).
    /// </summary>
    private static double Median(Func<RoutingResult> call)
    {
        var warm = Stopwatch.StartNew();
        for (int calls = 0; calls < 3 || warm.Elapsed.TotalSeconds < 0.25; calls++)
        {
            call();
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        GC.WaitForPendingFinalizers();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || (total.Elapsed.TotalSeconds < 0.5 && times.Count < 101))
        {
            long t0 = Stopwatch.GetTimestamp();
            call();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
