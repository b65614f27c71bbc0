using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>
/// A row (or, over a cursor, a cursor) of <see cref="MoeRowMapper.OutputSchema"/>: input columns pass through, the
/// score and predicted label are computed once per input position by routing that row alone through the network.
/// Disposing it disposes the input.
/// </summary>
internal sealed class MoeScoredCursor : DataViewRowCursor
{
    private readonly MoeRowMapper _mapper;
    private readonly DataViewRow _input;
    private readonly bool[] _active;
    private readonly ValueGetter<VBuffer<float>>? _getFeatures;
    private readonly float[] _features;
    private readonly float[] _probabilities;
    private VBuffer<float> _buffer;
    private long _scoredPosition = -1;
    private uint _predicted;

    public MoeScoredCursor(MoeRowMapper mapper, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _mapper = mapper;
        _input = input;
        _active = new bool[mapper.OutputSchema.Count];
        foreach (DataViewSchema.Column column in activeColumns)
        {
            _active[Check(column)] = true;
        }

        _features = new float[mapper.Model.FeatureCount];
        _probabilities = new float[mapper.Model.ClassCount];
        if (_active[mapper.ScoreIndex] || _active[mapper.PredictedLabelIndex])
        {
            _getFeatures = input.GetGetter<VBuffer<float>>(mapper.FeatureColumn);
        }
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema => _mapper.OutputSchema;

    /// <inheritdoc/>
    public override long Position => _input.Position;

    /// <inheritdoc/>
    public override long Batch => _input.Batch;

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    /// <inheritdoc/>
    public override bool MoveNext() => _input is DataViewRowCursor cursor
        ? cursor.MoveNext()
        : throw new InvalidOperationException("This row maps a single input row; it is not a cursor.");

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column) => _active[Check(column)];

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int index = Check(column);
        if (index < _mapper.InputSchema.Count)
        {
            return _input.GetGetter<TValue>(_mapper.InputSchema[index]);
        }

        if (!_active[index])
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when this row was created.");
        }

        Delegate getter = index == _mapper.ScoreIndex
            ? (ValueGetter<VBuffer<float>>)GetScore
            : (ValueGetter<uint>)GetPredictedLabel;
        return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"Invalid TValue in GetGetter for column '{column.Name}': expected {getter.GetType().GetGenericArguments()[0]}, got {typeof(TValue)}.");
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

    private void GetScore(ref VBuffer<float> value)
    {
        EnsureScored();
        VBufferEditor<float> editor = VBufferEditor.Create(ref value, _probabilities.Length);
        _probabilities.CopyTo(editor.Values);
        value = editor.Commit();
    }

    private void GetPredictedLabel(ref uint value)
    {
        EnsureScored();
        value = _predicted;
    }

    private void EnsureScored()
    {
        long position = _input.Position;
        if (position == _scoredPosition)
        {
            return;
        }

        _getFeatures!(ref _buffer);
        if (_buffer.Length != _features.Length)
        {
            throw new InvalidOperationException(
                $"Row {position.ToString(CultureInfo.InvariantCulture)} of feature column '{_mapper.FeatureColumn.Name}' has {_buffer.Length.ToString(CultureInfo.InvariantCulture)} slots; the model takes {_features.Length.ToString(CultureInfo.InvariantCulture)}.");
        }

        _buffer.CopyTo(_features);
        int bad = Array.FindIndex(_features, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new InvalidOperationException(
                $"Feature column '{_mapper.FeatureColumn.Name}' is {_features[bad].ToString(CultureInfo.InvariantCulture)} at row {position.ToString(CultureInfo.InvariantCulture)}, slot {bad.ToString(CultureInfo.InvariantCulture)}; features must be finite numbers.");
        }

        _mapper.Model.Score(_features, _probabilities);
        int best = 0;
        for (int c = 1; c < _probabilities.Length; c++)
        {
            if (_probabilities[c] > _probabilities[best])
            {
                best = c;
            }
        }

        _predicted = (uint)best + 1;
        _scoredPosition = position;
    }

    private int Check(DataViewSchema.Column column)
    {
        if ((uint)column.Index >= (uint)_mapper.OutputSchema.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column.Index,
                $"Column '{column.Name}' (index {column.Index}) is not in this row's schema of {_mapper.OutputSchema.Count} columns.");
        }

        return column.Index;
    }
}
