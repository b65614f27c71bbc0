using Microsoft.ML;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>The output of <see cref="MixtureOfExpertsMulticlassTransformer.Transform(IDataView)"/>: the input, scored row by row as its cursors move.</summary>
internal sealed class MoeScoredDataView : IDataView
{
    private readonly IDataView _source;
    private readonly MoeRowMapper _mapper;

    public MoeScoredDataView(IDataView source, MoeRowMapper mapper)
    {
        _source = source;
        _mapper = mapper;
    }

    /// <inheritdoc/>
    public bool CanShuffle => _source.CanShuffle;

    /// <inheritdoc/>
    public DataViewSchema Schema => _mapper.OutputSchema;

    /// <inheritdoc/>
    public long? GetRowCount() => _source.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        DataViewSchema.Column[] needed = columnsNeeded.ToArray();
        DataViewRowCursor input = _source.GetRowCursor(_mapper.GetDependencies(needed), rand);
        return new MoeScoredCursor(_mapper, input, needed);
    }

    /// <summary>One cursor: scoring goes through one network that serves a row at a time.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
