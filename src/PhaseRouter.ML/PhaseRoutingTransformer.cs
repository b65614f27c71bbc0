using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace PhaseRouter.ML;

/// <summary>
/// Assigns every row of a data view to up to K classes of its score vector under per-class capacities, by one
/// Phase Router call over the whole view (SPEC §2: score-ranked extraction with target capacities, every class a
/// candidate). Rows are served highest best-score first; each takes its best classes that still have room, so no
/// class ever receives more than its capacity.
/// </summary>
/// <remarks>
/// <para>
/// The capacities couple the rows, so this is a batch transform, not a row-to-row mapping:
/// <see cref="Transform(IDataView)"/> reads the whole score column once, routes, and returns a view that serves
/// the assignment column by row position. The input must replay the same rows in the same order (IDataView cursors
/// without a random generator do), and the result describes that view only: rows added later are not routed.
/// </para>
/// <para>The output column holds class indices (slots of the score column), best first, and -1 in unfilled slots.</para>
/// </remarks>
public sealed class PhaseRoutingTransformer : ITransformer
{
    private RoutingResult? _lastResult;

    internal PhaseRoutingTransformer(PhaseRoutingOptions options, int classes)
    {
        Options = options;
        Classes = classes;
    }

    /// <summary>The options, validated (the transformer owns its copy of any capacity array).</summary>
    public PhaseRoutingOptions Options { get; }

    /// <summary>C, the number of classes: slots of the score column the transformer was fitted on.</summary>
    public int Classes { get; }

    /// <summary>
    /// The routing of the latest <see cref="Transform(IDataView)"/> or <see cref="Route(IDataView)"/> call (per-class
    /// loads, capacities, unfilled slots, time), or <see langword="null"/> before the first one.
    /// </summary>
    public RoutingResult? LastResult => Volatile.Read(ref _lastResult);

    /// <summary>Always <see langword="false"/>: a row's assignment depends on every other row of the view.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>The input schema plus the assignment column, a vector of K <see cref="int"/> values.</summary>
    /// <param name="inputSchema">A schema with the score column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The score column is missing or is not a vector of C <see cref="float"/> values.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ScoreColumn.Find(inputSchema, Options, nameof(inputSchema), Classes);
        return OutputSchema(inputSchema);
    }

    /// <summary>Not supported: capacity-bounded assignment is a batch operation, so it has no row-to-row mapper.</summary>
    /// <param name="inputSchema">Ignored.</param>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException(
            "PhaseRoutingTransformer has no row-to-row mapper: a row's assignment depends on every other row through the class capacities. " +
            "Use Transform on a whole batch (an IDataView) instead of a PredictionEngine.");

    /// <summary>Routes every row of <paramref name="input"/> and returns the input plus the assignment column.</summary>
    /// <param name="input">A view with the score column; it is read once now and replayed by the returned view's cursors.</param>
    /// <returns>A view with the input's columns and <see cref="PhaseRoutingOptions.OutputColumnName"/>; it cannot shuffle.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The score column is missing or is not a vector of C <see cref="float"/> values.</exception>
    /// <exception cref="InvalidOperationException">A score is NaN.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RoutingResult result = Route(input);
        return new RoutedDataView(input, OutputSchema(input.Schema), result);
    }

    /// <summary>
    /// Routes every row of <paramref name="input"/> without building a view: the same routes as
    /// <see cref="Transform(IDataView)"/>, as a <see cref="RoutingResult"/> (row i's classes are
    /// <see cref="RoutingResult.RoutesOf(int)"/>).
    /// </summary>
    /// <param name="input">A view with the score column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The score column is missing or is not a vector of C <see cref="float"/> values.</exception>
    /// <exception cref="InvalidOperationException">A score is NaN.</exception>
    public RoutingResult Route(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DataViewSchema.Column column = ScoreColumn.Find(input.Schema, Options, nameof(input), Classes);
        float[] scores = ScoreColumn.Read(input, column, Classes, out int rows);
        var sourceDegrees = new int[rows];
        Array.Fill(sourceDegrees, Classes);
        var targetDegrees = new int[Classes];
        Array.Fill(targetDegrees, rows);
        var routerOptions = new RouterOptions
        {
            Seed = Options.Seed,
            Scores = scores,
            TargetCapacities = Options.CapacitiesFor(rows, Classes),
            MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism,
        };
        RoutingResult result = Router.RouteDegrees(sourceDegrees, targetDegrees, Options.K, routerOptions);
        Volatile.Write(ref _lastResult, result);
        return result;
    }

    /// <summary>
    /// Writes the options and C into ML.NET's model file, so that a chain ending in this transform saves with
    /// <c>ml.Model.Save</c> and loads back with <c>ml.Model.Load</c> giving the same assignments (see
    /// <see cref="PhaseRouterComponents.RegisterPhaseRouter(ComponentCatalog)"/> for a context that only loads).
    /// </summary>
    /// <param name="ctx">ML.NET's save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        BinaryWriter writer = MlNetModelFormat.BeginSave(ctx, Version);
        writer.Write(Options.ScoreColumnName);
        writer.Write(Options.OutputColumnName);
        writer.Write(Options.K);
        writer.Write(Options.CapacityFactor.HasValue);
        writer.Write(Options.CapacityFactor ?? 0);
        writer.Write(Options.TargetCapacities?.Length ?? -1);
        foreach (int capacity in Options.TargetCapacities ?? [])
        {
            writer.Write(capacity);
        }

        writer.Write(Options.Seed);
        writer.Write(Options.MaxDegreeOfParallelism);
        writer.Write(Classes);
    }

    /// <summary>The model-file header of this transform.</summary>
    internal static ModelVersion Version => new("PHRTASGN", 0x00010001, 0x00010001, 0x00010001, "PhaseRoutingTransformer",
        typeof(PhaseRoutingTransformer).Assembly);

    /// <summary>The loader ML.NET calls for a saved entry (registered by <see cref="PhaseRouterComponents"/>).</summary>
    /// <param name="env">The loading context.</param>
    /// <param name="ctx">ML.NET's internal model load context.</param>
    internal static PhaseRoutingTransformer Create(IHostEnvironment env, object ctx)
    {
        ArgumentNullException.ThrowIfNull(env);
        BinaryReader reader = MlNetModelFormat.BeginLoad(ctx, Version);
        string scoreColumn = reader.ReadString();
        string outputColumn = reader.ReadString();
        int k = reader.ReadInt32();
        bool hasFactor = reader.ReadBoolean();
        double factor = reader.ReadDouble();
        int capacityCount = reader.ReadInt32();
        int[]? capacities = capacityCount < 0 ? null : Enumerable.Range(0, capacityCount).Select(_ => reader.ReadInt32()).ToArray();
        var options = new PhaseRoutingOptions
        {
            ScoreColumnName = scoreColumn,
            OutputColumnName = outputColumn,
            K = k,
            CapacityFactor = hasFactor ? factor : null,
            TargetCapacities = capacities,
            Seed = reader.ReadUInt64(),
            MaxDegreeOfParallelism = reader.ReadInt32(),
        };
        int classes = reader.ReadInt32();
        options.Validate();
        options.ValidateFor(classes);
        return new PhaseRoutingTransformer(options, classes);
    }

    private DataViewSchema OutputSchema(DataViewSchema inputSchema)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(Options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Int32, Options.K));
        return builder.ToSchema();
    }
}
