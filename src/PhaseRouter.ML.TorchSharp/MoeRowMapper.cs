using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>
/// The row-to-row mapping of <see cref="MixtureOfExpertsMulticlassTransformer"/> for one input schema: the input's
/// columns plus <c>Score</c> (class probabilities) and <c>PredictedLabel</c> (the most probable class as a key).
/// </summary>
internal sealed class MoeRowMapper : IRowToRowMapper
{
    /// <summary>The score column's name, as ML.NET's multiclass trainers write it.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>The predicted label column's name, as ML.NET's multiclass trainers write it.</summary>
    public const string PredictedLabelColumnName = "PredictedLabel";

    public MoeRowMapper(MixtureOfExpertsMulticlassTransformer model, DataViewSchema inputSchema, string paramName)
    {
        Model = model;
        InputSchema = inputSchema;
        FeatureColumn = TrainingSchema.Features(inputSchema, model.FeatureColumnName, paramName, model.FeatureCount);
        OutputSchema = BuildOutputSchema(inputSchema, model.ClassCount, model.ClassNames);
        ScoreIndex = inputSchema.Count;
        PredictedLabelIndex = inputSchema.Count + 1;
    }

    public MixtureOfExpertsMulticlassTransformer Model { get; }

    public DataViewSchema.Column FeatureColumn { get; }

    public int ScoreIndex { get; }

    public int PredictedLabelIndex { get; }

    /// <inheritdoc/>
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc/>
    public DataViewSchema OutputSchema { get; }

    /// <inheritdoc/>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        var needed = new SortedDictionary<int, DataViewSchema.Column>();
        foreach (DataViewSchema.Column column in dependingColumns)
        {
            DataViewSchema.Column input = column.Index < InputSchema.Count ? InputSchema[column.Index] : FeatureColumn;
            needed[input.Index] = input;
        }

        return needed.Values;
    }

    /// <inheritdoc/>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        return new MoeScoredCursor(this, input, activeColumns);
    }

    private static DataViewSchema BuildOutputSchema(DataViewSchema input, int classes, IReadOnlyList<string>? classNames)
    {
        var score = new DataViewSchema.Annotations.Builder();
        var predicted = new DataViewSchema.Annotations.Builder();
        if (classNames is not null)
        {
            ReadOnlyMemory<char>[] names = classNames.Select(n => n.AsMemory()).ToArray();
            ValueGetter<VBuffer<ReadOnlyMemory<char>>> getNames = (ref VBuffer<ReadOnlyMemory<char>> value) =>
                value = new VBuffer<ReadOnlyMemory<char>>(names.Length, (ReadOnlyMemory<char>[])names.Clone());
            // The annotation kinds ML.NET's own scorers write (its AnnotationBuilderExtensions are internal).
            var namesType = new VectorDataViewType(TextDataViewType.Instance, classes);
            score.Add("SlotNames", namesType, getNames);
            predicted.Add("KeyValues", namesType, getNames);
        }

        // The annotations ML.NET's multiclass scorers put on their score column.
        score.Add("ScoreColumnKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = "MulticlassClassification".AsMemory());
        score.Add("ScoreValueKind", TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = "Score".AsMemory());
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classes), score.ToAnnotations());
        builder.AddColumn(PredictedLabelColumnName, new KeyDataViewType(typeof(uint), classes), predicted.ToAnnotations());
        return builder.ToSchema();
    }
}
