using Microsoft.ML;

namespace PhaseRouter.ML.Tests;

public sealed class ValidationTests
{
    private readonly MLContext _ml = new(seed: 1);

    private IDataView Scores(int rows = 8) => _ml.Data.LoadFromEnumerable(Data.RandomRows(rows, seed: 1));

    [Fact]
    public void Missing_score_column_is_a_schema_mismatch_naming_the_column()
    {
        var estimator = _ml.Transforms.AssignWithCapacity(scoreColumnName: "Logits");
        IDataView data = Scores();

        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Equal("input", fit.ParamName);
        Assert.Contains("'Logits'", fit.Message);

        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShapes.FromSchema(data.Schema)));
        Assert.Equal("inputSchema", shape.ParamName);
        Assert.Contains("'Logits'", shape.Message);
    }

    [Fact]
    public void Scalar_score_column_is_rejected_by_fit_and_by_the_shape_check()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new ScalarScoreRow { Score = 1 } });
        var estimator = _ml.Transforms.AssignWithCapacity();

        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Equal("input", fit.ParamName);
        Assert.Contains("got Single", fit.Message);

        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShapes.FromSchema(data.Schema)));
        Assert.Equal("inputSchema", shape.ParamName);
        Assert.Contains("got Single", shape.Message);
    }

    [Fact]
    public void Variable_size_score_vector_is_rejected_by_fit_and_by_the_shape_check()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new VariableScoreRow { Score = [1, 2] } });
        var estimator = _ml.Transforms.AssignWithCapacity();

        var fit = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Contains("known-size vector of Single", fit.Message);
        Assert.Contains("Vector<Single>", fit.Message);

        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(SchemaShapes.FromSchema(data.Schema)));
        Assert.Contains("VarVector<Single>", shape.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void K_below_one_is_rejected_when_the_estimator_is_created(int k)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.AssignWithCapacity(k: k));
        Assert.Equal("K", e.ParamName);
        Assert.Equal(k, e.ActualValue);
    }

    [Fact]
    public void K_above_the_number_of_classes_is_rejected_by_fit()
    {
        var estimator = _ml.Transforms.AssignWithCapacity(k: ScoreRow.Classes + 1);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(Scores()));
        Assert.Equal("K", e.ParamName);
        Assert.Equal(ScoreRow.Classes + 1, e.ActualValue);
        Assert.Contains($"C = {ScoreRow.Classes}", e.Message);
    }

    [Fact]
    public void Neither_capacity_option_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new PhaseRoutingEstimator(new PhaseRoutingOptions()));
        Assert.Equal("CapacityFactor", e.ParamName);
        Assert.Contains("got neither", e.Message);
    }

    [Fact]
    public void Both_capacity_options_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            _ml.Transforms.AssignWithCapacity(new PhaseRoutingOptions { CapacityFactor = 1.5, TargetCapacities = [1, 1, 1, 1] }));
        Assert.Equal("CapacityFactor", e.ParamName);
        Assert.Contains("got both", e.Message);
        Assert.Contains("1.5", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Capacity_factor_must_be_finite_and_positive(double capacityFactor)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.AssignWithCapacity(capacityFactor: capacityFactor));
        Assert.Equal("CapacityFactor", e.ParamName);
        Assert.Equal(capacityFactor, e.ActualValue);
    }

    [Fact]
    public void Capacities_of_the_wrong_length_are_rejected_by_fit()
    {
        var estimator = _ml.Transforms.AssignWithCapacity([3, 3, 3]);

        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(Scores()));
        Assert.Equal("TargetCapacities", e.ParamName);
        Assert.Contains($"C = {ScoreRow.Classes}", e.Message);
        Assert.Contains("got 3", e.Message);
    }

    [Fact]
    public void Negative_or_empty_capacities_are_rejected()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.AssignWithCapacity([3, -1, 3, 3]));
        Assert.Equal("TargetCapacities", negative.ParamName);
        Assert.Equal(-1, negative.ActualValue);
        Assert.Contains("[1]", negative.Message);

        var empty = Assert.Throws<ArgumentException>(() => _ml.Transforms.AssignWithCapacity(Array.Empty<int>()));
        Assert.Equal("TargetCapacities", empty.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Blank_column_names_are_rejected(string name)
    {
        Assert.Equal("ScoreColumnName",
            Assert.Throws<ArgumentException>(() => _ml.Transforms.AssignWithCapacity(scoreColumnName: name)).ParamName);
        Assert.Equal("OutputColumnName",
            Assert.Throws<ArgumentException>(() => _ml.Transforms.AssignWithCapacity(outputColumnName: name)).ParamName);
    }

    [Fact]
    public void Estimator_keeps_its_own_copy_of_the_capacities()
    {
        int[] caps = [1, 1, 1, 1];
        var estimator = _ml.Transforms.AssignWithCapacity(caps);
        caps[0] = 100;

        PhaseRoutingTransformer transformer = estimator.Fit(Scores());
        transformer.Transform(Scores());

        Assert.Equal([1, 1, 1, 1], transformer.LastResult!.TargetCapacities.ToArray());
    }

    [Fact]
    public void Transform_rejects_a_score_column_of_another_size_than_the_fitted_one()
    {
        PhaseRoutingTransformer transformer = _ml.Transforms.AssignWithCapacity().Fit(Scores());
        IDataView wide = _ml.Data.LoadFromEnumerable(new[] { new WideScoreRow { Score = [1, 2, 3, 4, 5] } });

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Transform(wide));
        Assert.Equal("input", e.ParamName);
        Assert.Contains("fitted on 4 classes", e.Message);
        Assert.Equal("inputSchema", Assert.Throws<ArgumentOutOfRangeException>(() => transformer.GetOutputSchema(wide.Schema)).ParamName);
    }

    [Fact]
    public void NaN_score_is_rejected_naming_row_and_slot()
    {
        ScoreRow[] rows = Data.RandomRows(6, seed: 2);
        rows[4].Score[1] = float.NaN;
        IDataView data = _ml.Data.LoadFromEnumerable(rows);
        PhaseRoutingTransformer transformer = _ml.Transforms.AssignWithCapacity().Fit(data);

        var e = Assert.Throws<InvalidOperationException>(() => transformer.Transform(data));
        Assert.Contains("row 4, slot 1", e.Message);
    }

    [Fact]
    public void Transformer_is_not_a_row_to_row_mapper()
    {
        IDataView data = Scores();
        PhaseRoutingTransformer transformer = _ml.Transforms.AssignWithCapacity().Fit(data);

        Assert.False(transformer.IsRowToRowMapper);
        var mapper = Assert.Throws<InvalidOperationException>(() => transformer.GetRowToRowMapper(data.Schema));
        Assert.Contains("batch", mapper.Message);
    }

    [Fact]
    public void Capacities_for_a_batch_are_the_exact_ceiling()
    {
        var options = new PhaseRoutingOptions { CapacityFactor = 1.1, K = 1 };

        Assert.Equal([11, 11], options.CapacitiesFor(20, 2));
        Assert.Equal([34, 34, 34], (options with { CapacityFactor = 1.0 }).CapacitiesFor(101, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.CapacitiesFor(-1, 2));
    }
}
