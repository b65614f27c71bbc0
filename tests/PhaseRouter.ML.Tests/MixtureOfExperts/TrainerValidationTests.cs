using Microsoft.ML;
using Microsoft.ML.Data;
using PhaseRouter.ML.TorchSharp;

namespace PhaseRouter.ML.Tests.MixtureOfExperts;

[Collection(TorchCollection.Name)]
public sealed class TrainerValidationTests
{
    private readonly MLContext _ml = new(seed: 0);

    private sealed class FloatLabelRow
    {
        public float Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    private sealed class KeyedRow
    {
        /// <summary>0-based: LoadFromEnumerable stores key value + 1 (0 is the missing key).</summary>
        [KeyType(3)]
        public uint Label { get; set; }

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    private sealed class ScalarFeatureRow
    {
        [KeyType(3)]
        public uint Label { get; set; }

        public float Features { get; set; }
    }

    private MixtureOfExpertsMulticlassTrainer Trainer() => _ml.MulticlassClassification.Trainers.MixtureOfExperts(Blobs.Options());

    [Theory]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.Experts), 0)]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.K), 5)]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.CapacityFactor), 0)]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.CapacityFactor), double.PositiveInfinity)]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.LearningRate), double.NaN)]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.ValidationFraction), 1.0)]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.BatchSize), 0)]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.Layers), 0)]
    [InlineData(nameof(MixtureOfExpertsMulticlassTrainer.Options.AuxLossCoefficient), -1.0)]
    public void An_option_out_of_range_is_rejected_naming_it(string option, double value)
    {
        MixtureOfExpertsMulticlassTrainer.Options options = Blobs.Options();
        var property = typeof(MixtureOfExpertsMulticlassTrainer.Options).GetProperty(option)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? (object)(int)value : value);

        var e = Assert.ThrowsAny<ArgumentException>(() => _ml.MulticlassClassification.Trainers.MixtureOfExperts(options));

        Assert.Equal(option, e.ParamName);
    }

    [Fact]
    public void A_missing_feature_column_is_named()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new KeyedRow { Label = 1, Features = [0, 1] } });
        MixtureOfExpertsMulticlassTrainer.Options options = Blobs.Options();
        options.FeatureColumnName = "Pixels";

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.MulticlassClassification.Trainers.MixtureOfExperts(options).Fit(data));

        Assert.Contains("feature column 'Pixels'", e.Message);
        Assert.Equal("input", e.ParamName);
    }

    [Fact]
    public void A_label_that_is_not_a_key_is_rejected_with_the_fix()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new FloatLabelRow { Label = 1, Features = [0, 1] } });

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer().Fit(data));

        Assert.Contains("label column 'Label'", e.Message);
        Assert.Contains("MapValueToKey", e.Message);
    }

    [Fact]
    public void A_scalar_feature_column_is_rejected()
    {
        IDataView data = _ml.Data.LoadFromEnumerable(new[] { new ScalarFeatureRow { Label = 1, Features = 2 } });

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer().Fit(data));

        Assert.Contains("known-size vector of Single", e.Message);
    }

    [Fact]
    public void A_nan_feature_is_rejected_naming_the_row_and_slot()
    {
        KeyedRow[] rows =
        [
            new() { Label = 0, Features = [0, 1] },
            new() { Label = 1, Features = [1, 0] },
            new() { Label = 2, Features = [1, float.NaN] },
        ];

        var e = Assert.Throws<ArgumentException>(() => Trainer().Fit(_ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("row 2, slot 1", e.Message);
        Assert.Equal("input", e.ParamName);
    }

    [Fact]
    public void Scoring_needs_the_trained_features_and_an_undisposed_model()
    {
        KeyedRow[] rows = Enumerable.Range(0, 30).Select(i => new KeyedRow { Label = (uint)(i % 3), Features = [i % 3, 1] }).ToArray();
        MixtureOfExpertsMulticlassTransformer model = Trainer().Fit(_ml.Data.LoadFromEnumerable(rows));
        IDataView wrong = _ml.Data.LoadFromEnumerable(new[] { new ScalarFeatureRow { Label = 1, Features = 2 } });

        Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(wrong));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.GetOutputSchema(wrong.Schema));
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Transform(_ml.Data.LoadFromEnumerable(rows)).Preview());
    }
}
