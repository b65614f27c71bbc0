using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML.Tests;

public sealed class DeterminismTests
{
    private readonly MLContext _ml = new(seed: 1);

    private int[][] Assign(ScoreRow[] rows, ulong seed, int threads = -1)
    {
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        var options = new PhaseRoutingOptions { K = 2, CapacityFactor = 1.0, Seed = seed, MaxDegreeOfParallelism = threads };
        IDataView routed = _ml.Transforms.AssignWithCapacity(options).Fit(data).Transform(data);
        return routed.GetColumn<int[]>("Assignment").ToArray();
    }

    [Fact]
    public void Same_seed_gives_the_same_assignments_whatever_the_thread_count()
    {
        ScoreRow[] rows = Data.RandomRows(500, seed: 31);

        int[][] first = Assign(rows, seed: 42);

        Assert.Equal(first, Assign(rows, seed: 42));
        Assert.Equal(first, Assign(rows, seed: 42, threads: 1));
    }

    [Fact]
    public void With_scores_and_every_class_a_candidate_the_seed_does_not_change_the_assignment()
    {
        // Documented behaviour: rows are served by best score (ties by index), so only the scores decide.
        ScoreRow[] rows = Data.RandomRows(200, seed: 32);

        Assert.Equal(Assign(rows, seed: 1), Assign(rows, seed: 2));
    }

    [Fact]
    public void Re_iterating_the_transformed_view_gives_the_same_values()
    {
        ScoreRow[] rows = Data.RandomRows(300, seed: 33);
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        IDataView routed = _ml.Transforms.AssignWithCapacity(k: 2).Fit(data).Transform(data);

        AssignedRow[] first = _ml.Data.CreateEnumerable<AssignedRow>(routed, reuseRowObject: false).ToArray();
        AssignedRow[] second = _ml.Data.CreateEnumerable<AssignedRow>(routed, reuseRowObject: false).ToArray();

        Assert.Equal(first.Select(r => r.Id), second.Select(r => r.Id));
        Assert.Equal(first.Select(r => r.Assignment), second.Select(r => r.Assignment));
        Assert.Equal(rows.Select(r => r.Id), first.Select(r => r.Id));
    }

    [Fact]
    public void Cursor_set_and_cached_view_serve_the_same_assignments()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(Data.RandomRows(150, seed: 34));
        IDataView routed = _ml.Transforms.AssignWithCapacity(k: 2).Fit(data).Transform(data);
        int[][] expected = routed.GetColumn<int[]>("Assignment").ToArray();

        DataViewRowCursor[] set = routed.GetRowCursorSet(routed.Schema, 4);
        Assert.Single(set);
        set[0].Dispose();
        Assert.Equal(expected, _ml.Data.Cache(routed).GetColumn<int[]>("Assignment").ToArray());
    }

    [Fact]
    public void An_input_that_changes_length_between_passes_is_detected()
    {
        var rows = new List<ScoreRow>(Data.RandomRows(20, seed: 35));
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        IDataView routed = _ml.Transforms.AssignWithCapacity().Fit(data).Transform(data);

        rows.AddRange(Data.RandomRows(3, seed: 36));

        var e = Assert.Throws<InvalidOperationException>(() => routed.GetColumn<int[]>("Assignment").ToArray());
        Assert.Contains("same rows in the same order", e.Message);
    }
}
