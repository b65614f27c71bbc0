using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>
/// Trains a mixture-of-experts classifier on an <see cref="IDataView"/>: a TorchSharp network (input projection →
/// residual mixture-of-experts layers routed by a capacity-bounded gate, the Phase Router's spill policy by default →
/// linear head), fitted with Adam on mini-batches with early stopping on a held-out fraction. Create it with
/// <see cref="MixtureOfExpertsCatalog.MixtureOfExperts(MulticlassClassificationCatalog.MulticlassClassificationTrainers, Options)"/>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Input columns</term><description><c>Label</c>: key type; <c>Features</c>: known-size vector of <see cref="float"/>.</description></item>
/// <item><term>Output columns</term><description><c>Score</c>: vector of class probabilities; <c>PredictedLabel</c>: key type, the label's values.</description></item>
/// <item><term>Normalization</term><description>Recommended (e.g. <c>NormalizeMinMax</c>): the network is trained by gradient descent.</description></item>
/// <item><term>Reproducible</term><description>Same data, options and <see cref="Options.Seed"/> give the same model, when no other
/// code draws from TorchSharp's global generator while <see cref="Fit(IDataView)"/> runs.</description></item>
/// </list>
/// Progress (one line per epoch: losses, validation accuracy, dropped slots) goes to the context's log
/// (<c>MLContext.Log</c>). During training each expert takes at most <c>⌈cf · batch · k / E⌉</c> rows of a batch;
/// the gates' monitors on the fitted transformer record every batch.
/// </remarks>
public sealed partial class MixtureOfExpertsMulticlassTrainer : IEstimator<MixtureOfExpertsMulticlassTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly Options _options;

    internal MixtureOfExpertsMulticlassTrainer(IHostEnvironment environment, Options options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options.Clone();
    }

    /// <summary>A copy of the validated options.</summary>
    public Options TrainerOptions => _options.Clone();

    /// <summary>Reads the rows, trains the network and returns the fitted transformer.</summary>
    /// <param name="input">Training data with the label and feature columns.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    /// <exception cref="ArgumentException">A feature is NaN or infinite, or no row has a label.</exception>
    public MixtureOfExpertsMulticlassTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DataViewSchema.Column features = TrainingSchema.Features(input.Schema, _options.FeatureColumnName, nameof(input));
        DataViewSchema.Column label = TrainingSchema.Label(input.Schema, _options.LabelColumnName, nameof(input));
        int classes = checked((int)((KeyDataViewType)label.Type).Count);
        TrainingRows rows = TrainingRows.Read(input, features, label, nameof(input));

        using IChannel channel = _environment.Start("MixtureOfExperts");
        if (rows.SkippedMissingLabels > 0)
        {
            channel.Warning(MessageSensitivity.None,
                $"MixtureOfExperts: skipped {rows.SkippedMissingLabels.ToString(CultureInfo.InvariantCulture)} rows with a missing label.");
        }

        // Initial weights come from TorchSharp's global generator: seed it so that the same seed gives the same model.
        global::TorchSharp.torch.random.manual_seed(_options.Seed);
        var network = new MoeClassifierNetwork(_options, rows.Width, classes);
        try
        {
            List<EpochRecord> history = MoeTrainingLoop.Train(network, _options, rows, channel);
            return new MixtureOfExpertsMulticlassTransformer(_options.Clone(), rows.Width, classes, TrainingSchema.ClassNames(label), network, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The input shape plus <c>Score</c> (vector of <see cref="float"/>) and <c>PredictedLabel</c> (key).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        RequireColumn(inputSchema, _options.FeatureColumnName, "feature",
            c => c.Kind == SchemaShape.Column.VectorKind.Vector && !c.IsKey && c.ItemType == NumberDataViewType.Single,
            "a known-size vector of Single");
        SchemaShape.Column label = RequireColumn(inputSchema, _options.LabelColumnName, "label",
            c => c.IsKey && c.Kind == SchemaShape.Column.VectorKind.Scalar, "a key type");
        var columns = inputSchema.Where(c => c.Name is not (MoeRowMapper.ScoreColumnName or MoeRowMapper.PredictedLabelColumnName)).ToList();
        // As ML.NET's multiclass trainers: the label's key values become the score's slot names and the prediction's key values.
        bool named = SchemaShapes.TryFind(label.Annotations, "KeyValues", out SchemaShape.Column keyValues)
            && keyValues.ItemType is TextDataViewType;
        SchemaShape? scoreAnnotations = named
            ? new SchemaShape([SchemaShapes.Column("SlotNames", SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, isKey: false)])
            : null;
        SchemaShape? labelAnnotations = named ? new SchemaShape([keyValues]) : null;
        columns.Add(SchemaShapes.Column(MoeRowMapper.ScoreColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single,
            isKey: false, scoreAnnotations));
        columns.Add(SchemaShapes.Column(MoeRowMapper.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32,
            isKey: true, labelAnnotations));
        return new SchemaShape(columns);
    }

    private static SchemaShape.Column RequireColumn(SchemaShape schema, string name, string role, Func<SchemaShape.Column, bool> valid, string expected)
    {
        if (!SchemaShapes.TryFind(schema, name, out SchemaShape.Column column))
        {
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Could not find {role} column '{name}' in the input schema (columns: {string.Join(", ", schema.Select(c => c.Name))}).");
        }

        if (!valid(column))
        {
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for {role} column '{name}': expected {expected}, got {SchemaShapes.Describe(column)}.");
        }

        return column;
    }
}
