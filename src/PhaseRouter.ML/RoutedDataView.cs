using Microsoft.ML;

namespace PhaseRouter.ML;

/// <summary>
/// The output of <see cref="PhaseRoutingTransformer.Transform(IDataView)"/>: the input view plus one column served from
/// precomputed routes by row position. Its cursors wrap cursors of the input requested without a random generator,
/// so the input's rows come back in the order in which the scores were read.
/// </summary>
internal sealed class RoutedDataView : IDataView
{
    public RoutedDataView(IDataView source, DataViewSchema schema, RoutingResult result)
    {
        Source = source;
        Schema = schema;
        Result = result;
        OutputIndex = schema.Count - 1;
    }

    /// <summary>The wrapped input.</summary>
    public IDataView Source { get; }

    /// <summary>The routes of every row, <see cref="RoutingResult.K"/> slots each.</summary>
    public RoutingResult Result { get; }

    /// <summary>Index of the assignment column in <see cref="Schema"/> (the last one).</summary>
    public int OutputIndex { get; }

    /// <summary>Rows are served by position, so the view cannot shuffle.</summary>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => Result.Sources;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        bool outputActive = false;
        var inputColumns = new List<DataViewSchema.Column>();
        foreach (DataViewSchema.Column column in columnsNeeded)
        {
            if ((uint)column.Index >= (uint)Schema.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), column.Index,
                    $"Column '{column.Name}' (index {column.Index}) is not in this view's schema of {Schema.Count} columns.");
            }

            if (column.Index == OutputIndex)
            {
                outputActive = true;
            }
            else
            {
                inputColumns.Add(Source.Schema[column.Index]);
            }
        }

        // No random generator: the input must come back in the order in which its scores were read.
        return new RoutedCursor(this, Source.GetRowCursor(inputColumns), outputActive);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
