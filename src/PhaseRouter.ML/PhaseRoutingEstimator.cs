using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML;

/// <summary>
/// Estimator of <see cref="PhaseRoutingTransformer"/>: capacity-bounded top-k assignment of rows to the classes of
/// a score vector (for example the <c>Score</c> column of a multiclass model).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Needs to look at the data to fit?</term><description>No: <see cref="Fit(IDataView)"/> only checks the schema.</description></item>
/// <item><term>Input column</term><description>Known-size vector of <see cref="float"/> (C classes).</description></item>
/// <item><term>Output column</term><description>Vector of K <see cref="int"/> class indices, best first, -1 = unassigned.</description></item>
/// <item><term>Row-to-row mapper?</term><description>No: capacities couple the rows of a batch.</description></item>
/// </list>
/// Create it with <see cref="PhaseRoutingCatalog.AssignWithCapacity(TransformsCatalog, PhaseRoutingOptions)"/> or its overloads.
/// </remarks>
public sealed class PhaseRoutingEstimator : IEstimator<PhaseRoutingTransformer>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="options">The options; validated here, and any capacity array is copied.</param>
    /// <exception cref="ArgumentException">An option is invalid (the exception names it).</exception>
    public PhaseRoutingEstimator(PhaseRoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options with { TargetCapacities = (int[]?)options.TargetCapacities?.Clone() };
    }

    /// <summary>The validated options.</summary>
    public PhaseRoutingOptions Options { get; }

    /// <summary>Checks the input schema and returns the transformer; no data is read.</summary>
    /// <param name="input">A view with the score column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The score column is missing, is not a known-size vector of <see cref="float"/>, or has fewer slots than K.</exception>
    /// <exception cref="ArgumentException">TargetCapacities does not hold one value per class.</exception>
    public PhaseRoutingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DataViewSchema.Column column = ScoreColumn.Find(input.Schema, Options, nameof(input));
        return new PhaseRoutingTransformer(Options, ((VectorDataViewType)column.Type).Size);
    }

    /// <summary>The input shape plus the assignment column (a vector of <see cref="int"/>).</summary>
    /// <param name="inputSchema">The shape of the input.</param>
    /// <exception cref="ArgumentOutOfRangeException">The score column is missing or is not a known-size vector of <see cref="float"/>.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string name = Options.ScoreColumnName;
        if (!SchemaShapes.TryFind(inputSchema, name, out SchemaShape.Column score))
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Could not find score column '{name}' in the input schema (columns: {string.Join(", ", inputSchema.Select(c => c.Name))}).");
        }

        if (score.Kind != SchemaShape.Column.VectorKind.Vector || score.IsKey || score.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Schema mismatch for score column '{name}': expected a known-size vector of Single (one score per class), got {SchemaShapes.Describe(score)}.");
        }

        var columns = inputSchema.Where(c => c.Name != Options.OutputColumnName).ToList();
        columns.Add(SchemaShapes.Column(Options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Int32, isKey: false));
        return new SchemaShape(columns);
    }
}
