using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML;

/// <summary>Finds, checks and reads the score column: a known-size vector of <see cref="float"/>, one slot per class.</summary>
internal static class ScoreColumn
{
    /// <summary>
    /// The score column of <paramref name="schema"/>, checked against the options (and against the number of classes
    /// the transformer was fitted on, when given). Throws <see cref="ArgumentOutOfRangeException"/> naming
    /// <paramref name="paramName"/> on a schema mismatch, as ML.NET's own transforms do.
    /// </summary>
    public static DataViewSchema.Column Find(DataViewSchema schema, PhaseRoutingOptions options, string paramName,
        int? fittedClasses = null)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        string name = options.ScoreColumnName;
        if (schema.GetColumnOrNull(name) is not { } column)
        {
            throw new ArgumentOutOfRangeException(paramName,
                $"Could not find score column '{name}' in the input schema (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
        }

        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(paramName,
                $"Schema mismatch for score column '{name}': expected a known-size vector of Single (one score per class), got {column.Type}.");
        }

        if (fittedClasses is int classes && vector.Size != classes)
        {
            throw new ArgumentOutOfRangeException(paramName,
                $"Schema mismatch for score column '{name}': the transformer was fitted on {classes.ToString(CultureInfo.InvariantCulture)} classes, got {column.Type}.");
        }

        options.ValidateFor(vector.Size);
        return column;
    }

    /// <summary>
    /// Reads the whole column once, in cursor order, into one dense row-major <c>rows × classes</c> array (sparse
    /// vectors are densified with zeros). Throws <see cref="InvalidOperationException"/> on a NaN score.
    /// </summary>
    public static float[] Read(IDataView input, DataViewSchema.Column column, int classes, out int rows)
    {
        long? known = input.GetRowCount();
        long initial = Math.Clamp(known ?? 1024, 1, Array.MaxLength / classes);
        var scores = new float[initial * classes];
        VBuffer<float> buffer = default;
        rows = 0;
        using (DataViewRowCursor cursor = input.GetRowCursor([column]))
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
            while (cursor.MoveNext())
            {
                if ((long)(rows + 1) * classes > scores.Length)
                {
                    long grown = Math.Min((long)scores.Length * 2, (long)Array.MaxLength / classes * classes);
                    if (grown < (long)(rows + 1) * classes)
                    {
                        throw new InvalidOperationException(
                            $"Score column '{column.Name}' has more than {rows.ToString(CultureInfo.InvariantCulture)} rows of {classes.ToString(CultureInfo.InvariantCulture)} scores: more than one array can hold.");
                    }

                    Array.Resize(ref scores, (int)grown);
                }

                getter(ref buffer);
                if (buffer.Length != classes)
                {
                    throw new InvalidOperationException(
                        $"Row {rows.ToString(CultureInfo.InvariantCulture)} of score column '{column.Name}' has {buffer.Length.ToString(CultureInfo.InvariantCulture)} slots; the column type promises {classes.ToString(CultureInfo.InvariantCulture)}.");
                }

                Span<float> row = scores.AsSpan(rows * classes, classes);
                buffer.CopyTo(row);
                int nan = IndexOfNaN(row);
                if (nan >= 0)
                {
                    throw new InvalidOperationException(
                        $"Score column '{column.Name}' is NaN at row {rows.ToString(CultureInfo.InvariantCulture)}, slot {nan.ToString(CultureInfo.InvariantCulture)}; scores must be numbers (use -Infinity to forbid a class).");
                }

                rows++;
            }
        }

        if ((long)rows * classes != scores.Length)
        {
            Array.Resize(ref scores, rows * classes);
        }

        return scores;
    }

    private static int IndexOfNaN(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
