using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML;

/// <summary>A cursor of <see cref="RoutedDataView"/>: the input cursor's columns plus the assignment of its current row.</summary>
internal sealed class RoutedCursor : DataViewRowCursor
{
    private readonly RoutedDataView _parent;
    private readonly DataViewRowCursor _input;
    private readonly bool _outputActive;
    private readonly ValueGetter<VBuffer<int>> _assignmentGetter;
    private long _rowsSeen;

    public RoutedCursor(RoutedDataView parent, DataViewRowCursor input, bool outputActive)
    {
        _parent = parent;
        _input = input;
        _outputActive = outputActive;
        _assignmentGetter = GetAssignment;
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema => _parent.Schema;

    /// <inheritdoc/>
    public override long Position => _input.Position;

    /// <inheritdoc/>
    public override long Batch => _input.Batch;

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        long rows = _parent.Result.Sources;
        if (_input.MoveNext())
        {
            if (++_rowsSeen > rows)
            {
                throw new InvalidOperationException(
                    $"The input yielded more than the {rows.ToString(CultureInfo.InvariantCulture)} rows it had when it was routed; a routed view needs an input that replays the same rows in the same order.");
            }

            return true;
        }

        if (_rowsSeen != rows)
        {
            throw new InvalidOperationException(
                $"The input yielded {_rowsSeen.ToString(CultureInfo.InvariantCulture)} rows, not the {rows.ToString(CultureInfo.InvariantCulture)} it had when it was routed; a routed view needs an input that replays the same rows in the same order.");
        }

        return false;
    }

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        int index = CheckColumn(column);
        return index == _parent.OutputIndex ? _outputActive : _input.IsColumnActive(_parent.Source.Schema[index]);
    }

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int index = CheckColumn(column);
        if (index != _parent.OutputIndex)
        {
            return _input.GetGetter<TValue>(_parent.Source.Schema[index]);
        }

        if (!_outputActive)
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
        }

        if (_assignmentGetter is not ValueGetter<TValue> getter)
        {
            throw new InvalidOperationException(
                $"Invalid TValue in GetGetter for column '{column.Name}': expected {typeof(VBuffer<int>)}, got {typeof(TValue)}.");
        }

        return getter;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
        }

        base.Dispose(disposing);
    }

    private int CheckColumn(DataViewSchema.Column column)
    {
        if ((uint)column.Index >= (uint)_parent.Schema.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column.Index,
                $"Column '{column.Name}' (index {column.Index}) is not in this cursor's schema of {_parent.Schema.Count} columns.");
        }

        return column.Index;
    }

    private void GetAssignment(ref VBuffer<int> value)
    {
        long position = _input.Position;
        RoutingResult result = _parent.Result;
        if ((ulong)position >= (ulong)result.Sources)
        {
            throw new InvalidOperationException(
                $"No assignment at cursor position {position.ToString(CultureInfo.InvariantCulture)}: call MoveNext first (the view has {result.Sources.ToString(CultureInfo.InvariantCulture)} rows).");
        }

        VBufferEditor<int> editor = VBufferEditor.Create(ref value, result.K);
        // The result holds each row's targets only; the column keeps the original's k slots, -1 padded.
        ReadOnlySpan<int> routes = result.RoutesOf((int)position);
        routes.CopyTo(editor.Values);
        editor.Values[routes.Length..].Fill(-1);
        value = editor.Commit();
    }
}
