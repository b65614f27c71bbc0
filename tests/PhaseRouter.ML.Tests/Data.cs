using Microsoft.ML;

namespace PhaseRouter.ML.Tests;

/// <summary>Synthetic score batches and the reference routing computed straight with <see cref="Router"/>.</summary>
internal static class Data
{
    /// <summary>Rows with distinct pseudo-random scores in [0, 1).</summary>
    public static ScoreRow[] RandomRows(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(i => new ScoreRow
        {
            Id = 1000 + i,
            Score = Enumerable.Range(0, ScoreRow.Classes).Select(_ => (float)random.NextDouble()).ToArray(),
        }).ToArray();
    }

    /// <summary>Every row prefers class 0, then 1, then 2, then 3, with a little per-row noise.</summary>
    public static ScoreRow[] AdversarialRows(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(i => new ScoreRow
        {
            Id = i,
            Score = Enumerable.Range(0, ScoreRow.Classes).Select(c => 10f - 3f * c + 0.1f * (float)random.NextDouble()).ToArray(),
        }).ToArray();
    }

    /// <summary>The routing the transformer must reproduce: full degrees, the same scores, capacities and seed.</summary>
    public static RoutingResult Reference(ScoreRow[] rows, PhaseRoutingOptions options)
    {
        int c = ScoreRow.Classes;
        float[] scores = rows.SelectMany(r => r.Score).ToArray();
        int[] s = Enumerable.Repeat(c, rows.Length).ToArray();
        int[] t = Enumerable.Repeat(rows.Length, c).ToArray();
        return Router.RouteDegrees(s, t, options.K, new RouterOptions
        {
            Seed = options.Seed,
            Scores = scores,
            TargetCapacities = options.CapacitiesFor(rows.Length, c),
        });
    }

    /// <summary>Fits and transforms, reading the result back as rows.</summary>
    public static AssignedRow[] Run(MLContext ml, IEnumerable<ScoreRow> rows, PhaseRoutingOptions options, out PhaseRoutingTransformer transformer)
    {
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        transformer = ml.Transforms.AssignWithCapacity(options).Fit(data);
        IDataView routed = transformer.Transform(data);
        return ml.Data.CreateEnumerable<AssignedRow>(routed, reuseRowObject: false).ToArray();
    }

    /// <summary>Per-class load counted from the output column.</summary>
    public static int[] Loads(IEnumerable<AssignedRow> rows, int classes)
    {
        var loads = new int[classes];
        foreach (int j in rows.SelectMany(r => r.Assignment).Where(j => j >= 0))
        {
            loads[j]++;
        }

        return loads;
    }
}
