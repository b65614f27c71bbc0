using Microsoft.ML;
using Microsoft.ML.Data;
using PhaseRouter.Gating;

namespace PhaseRouter.ML.Tests;

public sealed class EndToEndTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(2, 1.3)]
    [InlineData(3, 1.0)]
    public void Assignment_equals_the_direct_router_call_and_other_columns_are_untouched(int k, double capacityFactor)
    {
        ScoreRow[] rows = Data.RandomRows(203, seed: k);
        var options = new PhaseRoutingOptions { K = k, CapacityFactor = capacityFactor, Seed = 7 };

        AssignedRow[] output = Data.Run(_ml, rows, options, out PhaseRoutingTransformer transformer);
        RoutingResult reference = Data.Reference(rows, options);

        Assert.Equal(rows.Length, output.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Id, output[i].Id);
            Assert.Equal(rows[i].Score, output[i].Score);
            Assert.Equal(reference.Routes.Slice(i * reference.K, reference.K).ToArray(), output[i].Assignment);
        }

        RoutingResult last = Assert.IsType<RoutingResult>(transformer.LastResult);
        Assert.Equal(reference.TargetLoads.ToArray(), last.TargetLoads.ToArray());
        Assert.Equal(Data.Loads(output, ScoreRow.Classes), last.TargetLoads.ToArray());
        Assert.Equal(options.CapacitiesFor(rows.Length, ScoreRow.Classes), last.TargetCapacities.ToArray());
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(1, 1.5)]
    public void No_class_exceeds_its_capacity_when_every_row_prefers_class_0(int k, double capacityFactor)
    {
        ScoreRow[] rows = Data.AdversarialRows(400, seed: 3);
        var options = new PhaseRoutingOptions { K = k, CapacityFactor = capacityFactor };

        AssignedRow[] output = Data.Run(_ml, rows, options, out PhaseRoutingTransformer transformer);

        int cap = ExpertCapacity.Of(capacityFactor, rows.Length, k, ScoreRow.Classes);
        int[] loads = Data.Loads(output, ScoreRow.Classes);
        Assert.All(loads, load => Assert.InRange(load, 0, cap));
        Assert.Equal(cap, loads[0]);
        // Total capacity covers every slot, so nothing is dropped and every row's classes are distinct.
        Assert.Equal(0, transformer.LastResult!.UnfilledSlots);
        Assert.All(output, r => Assert.Equal(k, r.Assignment.Distinct().Count(j => j >= 0)));
    }

    [Fact]
    public void Explicit_capacities_bound_each_class_and_zero_capacity_closes_a_class()
    {
        ScoreRow[] rows = Data.AdversarialRows(100, seed: 5);
        int[] caps = [10, 0, 60, 50];
        var options = new PhaseRoutingOptions { TargetCapacities = caps };

        AssignedRow[] output = Data.Run(_ml, rows, options, out PhaseRoutingTransformer transformer);

        Assert.Equal([10, 0, 60, 30], Data.Loads(output, ScoreRow.Classes));
        Assert.Equal(caps, transformer.LastResult!.TargetCapacities.ToArray());
        Assert.Equal(0, transformer.LastResult.UnfilledSlots);
    }

    [Fact]
    public void Too_little_capacity_leaves_minus_one_and_reports_the_dropped_slots()
    {
        ScoreRow[] rows = Data.RandomRows(50, seed: 9);
        var options = new PhaseRoutingOptions { TargetCapacities = [5, 5, 5, 5] };

        AssignedRow[] output = Data.Run(_ml, rows, options, out PhaseRoutingTransformer transformer);

        Assert.Equal(30, output.Count(r => r.Assignment[0] == -1));
        Assert.Equal(30, transformer.LastResult!.SlotsUnfilledByCapacity);
        Assert.Equal([5, 5, 5, 5], Data.Loads(output, ScoreRow.Classes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void With_ample_capacity_each_row_gets_its_plain_top_k_best_first(int k)
    {
        ScoreRow[] rows = Data.RandomRows(120, seed: 11);
        // cf = C: every class could take every row.
        var options = new PhaseRoutingOptions { K = k, CapacityFactor = ScoreRow.Classes };

        AssignedRow[] output = Data.Run(_ml, rows, options, out _);

        for (int i = 0; i < rows.Length; i++)
        {
            int[] expected = Enumerable.Range(0, ScoreRow.Classes)
                .OrderByDescending(c => rows[i].Score[c]).ThenBy(c => c).Take(k).ToArray();
            Assert.Equal(expected, output[i].Assignment);
        }
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(2, 1.2)]
    public void A_row_only_misses_a_better_class_when_that_class_ends_full(int k, double capacityFactor)
    {
        ScoreRow[] rows = Data.RandomRows(300, seed: 13);
        var options = new PhaseRoutingOptions { K = k, CapacityFactor = capacityFactor };

        AssignedRow[] output = Data.Run(_ml, rows, options, out _);

        int[] caps = options.CapacitiesFor(rows.Length, ScoreRow.Classes);
        int[] loads = Data.Loads(output, ScoreRow.Classes);
        for (int i = 0; i < rows.Length; i++)
        {
            float[] score = rows[i].Score;
            int[] taken = output[i].Assignment;
            Assert.Equal(taken.Where(j => j >= 0).OrderByDescending(j => score[j]), taken.Where(j => j >= 0));
            foreach (int a in taken.Where(j => j >= 0))
            {
                for (int b = 0; b < ScoreRow.Classes; b++)
                {
                    if (score[b] > score[a] && !taken.Contains(b))
                    {
                        Assert.True(loads[b] == caps[b], $"row {i} took {a} over better class {b}, which ended with room ({loads[b]} < {caps[b]}).");
                    }
                }
            }
        }
    }

    [Fact]
    public void Negative_infinity_forbids_a_class()
    {
        ScoreRow[] rows = Data.RandomRows(40, seed: 17);
        foreach (ScoreRow row in rows)
        {
            row.Score[2] = float.NegativeInfinity;
        }

        AssignedRow[] output = Data.Run(_ml, rows, new PhaseRoutingOptions { K = 2, CapacityFactor = 2 }, out _);

        Assert.All(output, r => Assert.DoesNotContain(2, r.Assignment));
    }

    [Fact]
    public void Output_schema_appends_an_int32_vector_of_size_k_and_the_view_cannot_shuffle()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(Data.RandomRows(10, seed: 1));
        PhaseRoutingTransformer transformer = _ml.Transforms.AssignWithCapacity("Teams", k: 3, capacityFactor: 1.5).Fit(data);

        IDataView routed = transformer.Transform(data);

        DataViewSchema.Column column = routed.Schema["Teams"];
        Assert.Equal(data.Schema.Count, column.Index);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int32, 3), column.Type);
        Assert.Equal(routed.Schema.Select(c => c.Name), transformer.GetOutputSchema(data.Schema).Select(c => c.Name));
        Assert.Equal(10, routed.GetRowCount());
        Assert.False(routed.CanShuffle);
        Assert.Equal(ScoreRow.Classes, transformer.Classes);
    }

    [Fact]
    public void Estimator_output_shape_adds_the_column_and_feeds_an_estimator_chain()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(Data.RandomRows(30, seed: 2));
        var estimator = _ml.Transforms.CopyColumns("Affinity", "Score")
            .Append(_ml.Transforms.AssignWithCapacity(scoreColumnName: "Affinity", k: 2))
            .Append(_ml.Transforms.Conversion.ConvertType("AssignmentF", "Assignment", DataKind.Single));

        SchemaShape shape = estimator.GetOutputSchema(SchemaShapes.FromSchema(data.Schema));
        SchemaShape.Column assignment = shape.Single(c => c.Name == "Assignment");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, assignment.Kind);
        Assert.Equal(NumberDataViewType.Int32, assignment.ItemType);
        Assert.Contains(shape, c => c.Name == "AssignmentF");

        IDataView routed = estimator.Fit(data).Transform(data);
        float[][] converted = routed.GetColumn<float[]>("AssignmentF").ToArray();
        int[][] assigned = routed.GetColumn<int[]>("Assignment").ToArray();
        Assert.Equal(assigned.Select(a => a.Select(x => (float)x)), converted);
    }

    [Fact]
    public void Output_column_may_replace_an_existing_column_of_the_same_name()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(Data.RandomRows(12, seed: 4));
        IDataView routed = _ml.Transforms.AssignWithCapacity("Id", capacityFactor: 2).Fit(data).Transform(data);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int32, 1), routed.Schema["Id"].Type);
        Assert.All(routed.GetColumn<int[]>("Id"), a => Assert.InRange(a[0], 0, ScoreRow.Classes - 1));
    }

    [Fact]
    public void Filtered_input_is_routed_by_the_position_of_the_rows_it_yields()
    {
        ScoreRow[] rows = Data.RandomRows(100, seed: 21);
        IDataView data = _ml.Data.FilterByCustomPredicate<ScoreRow>(_ml.Data.LoadFromEnumerable(rows), r => r.Id % 3 == 0);
        var options = new PhaseRoutingOptions { K = 2, CapacityFactor = 1.0 };

        IDataView routed = _ml.Transforms.AssignWithCapacity(options).Fit(data).Transform(data);
        AssignedRow[] output = _ml.Data.CreateEnumerable<AssignedRow>(routed, reuseRowObject: false).ToArray();

        ScoreRow[] kept = rows.Where(r => r.Id % 3 != 0).ToArray();
        RoutingResult reference = Data.Reference(kept, options);
        Assert.Equal(kept.Select(r => r.Id), output.Select(r => r.Id));
        for (int i = 0; i < kept.Length; i++)
        {
            Assert.Equal(reference.Routes.Slice(i * reference.K, reference.K).ToArray(), output[i].Assignment);
        }
    }

    [Fact]
    public void Empty_input_gives_an_empty_view()
    {
        AssignedRow[] output = Data.Run(_ml, [], new PhaseRoutingOptions { CapacityFactor = 1 }, out PhaseRoutingTransformer transformer);

        Assert.Empty(output);
        Assert.Equal(0, transformer.LastResult!.Sources);
    }

    [Fact]
    public void Cursor_over_only_the_assignment_column_serves_it_and_leaves_the_rest_inactive()
    {
        ScoreRow[] rows = Data.RandomRows(25, seed: 6);
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        PhaseRoutingTransformer transformer = _ml.Transforms.AssignWithCapacity(k: 2).Fit(data);
        IDataView routed = transformer.Transform(data);
        DataViewSchema.Column column = routed.Schema["Assignment"];

        using DataViewRowCursor cursor = routed.GetRowCursor([column]);
        Assert.True(cursor.IsColumnActive(column));
        Assert.False(cursor.IsColumnActive(routed.Schema["Id"]));
        ValueGetter<VBuffer<int>> getter = cursor.GetGetter<VBuffer<int>>(column);
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(column));
        VBuffer<int> value = default;
        Assert.Throws<InvalidOperationException>(() => getter(ref value));
        int row = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            Assert.Equal(transformer.LastResult!.Routes.Slice(row * transformer.LastResult.K, transformer.LastResult.K).ToArray(), value.DenseValues().ToArray());
            row++;
        }

        Assert.Equal(rows.Length, row);
    }
}
