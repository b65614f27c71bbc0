using System.Text.Json.Serialization;
using PhaseRouter.Evaluation.Reporting;

namespace PhaseRouter.Evaluation.Suites;

/// <summary>
/// <c>pipeline</c>: a PNG of every step for a small N and an animated GIF of all of them (the original's
/// <c>phase_router_pipeline.gif</c>), plus <c>pipeline.json</c> saying whether the literal pipeline's candidates equal
/// the router's.
/// </summary>
public static class PipelineSuite
{
    /// <summary>The GIF's file name.</summary>
    public const string GifName = "phase_router_pipeline.gif";

    /// <summary>What <c>pipeline.json</c> holds.</summary>
    public sealed record Summary(
        [property: JsonPropertyName("N")] int N,
        int K,
        ulong Seed,
        IReadOnlyList<string> Pictures,
        string Animation,
        bool CandidatesMatchRouter,
        long Candidates,
        long Routes);

    /// <summary>Writes the pictures of one routing into <paramref name="folder"/>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="folder">The folder for the PNGs, the GIF and pipeline.json.</param>
    /// <param name="n">N (the pictures are N × N cells).</param>
    /// <param name="k">k, also the largest input row degree.</param>
    /// <param name="report">Called after each picture.</param>
    public static Summary Write(RunContext context, string folder, int n, int k, Action<string>? report = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        Directory.CreateDirectory(folder);
        (BitMatrix s, BitMatrix t) = Inputs.InputFactory.RandomDegrees(n, k, context.Seed);
        ulong seed = (ulong)context.Seed;
        PipelineSteps steps = PipelineSteps.Build(s, t, k, seed);
        bool match = steps.Candidates.Equals(Router.Candidates(s, t, new RouterOptions { Seed = seed }));

        var frames = new List<byte[]>();
        var names = new List<string>();
        foreach ((string name, string title, BitMatrix matrix) in steps.Frames)
        {
            byte[] png = PipelineImages.Render(matrix, title, $"N = {n}, k = {k}, seed {seed}");
            File.WriteAllBytes(Path.Combine(folder, name + ".png"), png);
            frames.Add(png);
            names.Add(name + ".png");
            report?.Invoke(name);
        }

        PipelineImages.SaveGif(Path.Combine(folder, GifName), frames);
        var summary = new Summary(n, k, seed, names, GifName, match, steps.Candidates.CountOnes(), steps.Routes.CountOnes());
        JsonOutput.Save(Path.Combine(folder, "pipeline.json"), summary);
        return summary;
    }

    /// <summary>Runs the subcommand: the pictures into <c>pipeline/</c>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="n">N.</param>
    /// <param name="k">k.</param>
    public static int Run(RunContext context, int n, int k)
    {
        ArgumentNullException.ThrowIfNull(context);
        Summary? summary = null;
        context.WithProgress("pipeline", 11, step => summary = Write(context, context.Folder("pipeline"), n, k, step));
        context.Say($"pipeline: {summary!.Pictures.Count} PNGs and {GifName}; literal pipeline equals the router's candidates: {summary.CandidatesMatchRouter}");
        return summary.CandidatesMatchRouter ? 0 : 1;
    }
}
