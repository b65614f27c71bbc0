using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>The training rows read into memory: row-major features and 0-based class indices.</summary>
internal sealed class TrainingRows
{
    private TrainingRows(float[] features, long[] labels, int width, int skipped)
    {
        Features = features;
        Labels = labels;
        Width = width;
        SkippedMissingLabels = skipped;
    }

    /// <summary><c>Count × Width</c> features, row after row.</summary>
    public float[] Features { get; }

    /// <summary>The class of each row, in <c>[0, classes)</c>.</summary>
    public long[] Labels { get; }

    /// <summary>Features per row.</summary>
    public int Width { get; }

    /// <summary>Rows kept.</summary>
    public int Count => Labels.Length;

    /// <summary>Rows skipped because their label key was missing (0).</summary>
    public int SkippedMissingLabels { get; }

    /// <summary>
    /// Reads every row of <paramref name="input"/>; rows with a missing label are skipped, a NaN or infinite
    /// feature is an error naming the row and slot.
    /// </summary>
    /// <exception cref="ArgumentException">A feature is NaN or infinite, or no row has a label.</exception>
    public static TrainingRows Read(IDataView input, DataViewSchema.Column featureColumn, DataViewSchema.Column labelColumn, string paramName)
    {
        int width = ((VectorDataViewType)featureColumn.Type).Size;
        var features = new List<float>();
        var labels = new List<long>();
        int skipped = 0;
        long row = 0;
        VBuffer<float> buffer = default;
        float[] dense = new float[width];
        using (DataViewRowCursor cursor = input.GetRowCursor([featureColumn, labelColumn]))
        {
            ValueGetter<VBuffer<float>> getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
            ValueGetter<uint> getLabel = KeyGetter(cursor, labelColumn);
            uint label = 0;
            for (; cursor.MoveNext(); row++)
            {
                getLabel(ref label);
                if (label == 0)
                {
                    skipped++;
                    continue;
                }

                getFeatures(ref buffer);
                buffer.CopyTo(dense);
                int bad = Array.FindIndex(dense, v => !float.IsFinite(v));
                if (bad >= 0)
                {
                    throw new ArgumentException(
                        $"Feature column '{featureColumn.Name}' is {dense[bad].ToString(CultureInfo.InvariantCulture)} at row {row.ToString(CultureInfo.InvariantCulture)}, slot {bad.ToString(CultureInfo.InvariantCulture)}; features must be finite numbers (replace missing values first, e.g. with ReplaceMissingValues).",
                        paramName);
                }

                features.AddRange(dense);
                labels.Add(label - 1);
            }
        }

        if (labels.Count == 0)
        {
            throw new ArgumentException(
                $"The training data has no row with a label ({row.ToString(CultureInfo.InvariantCulture)} rows read, {skipped.ToString(CultureInfo.InvariantCulture)} with a missing label).",
                paramName);
        }

        return new TrainingRows(features.ToArray(), labels.ToArray(), width, skipped);
    }

    /// <summary>A getter of the label key widened to <see cref="uint"/> (keys may be stored as byte, ushort, uint or ulong).</summary>
    private static ValueGetter<uint> KeyGetter(DataViewRow row, DataViewSchema.Column column)
    {
        Type raw = column.Type.RawType;
        if (raw == typeof(uint))
        {
            return row.GetGetter<uint>(column);
        }

        if (raw == typeof(byte))
        {
            ValueGetter<byte> get = row.GetGetter<byte>(column);
            byte b = 0;
            return (ref uint value) => { get(ref b); value = b; };
        }

        if (raw == typeof(ushort))
        {
            ValueGetter<ushort> get = row.GetGetter<ushort>(column);
            ushort u = 0;
            return (ref uint value) => { get(ref u); value = u; };
        }

        ValueGetter<ulong> getLong = row.GetGetter<ulong>(column);
        ulong l = 0;
        return (ref uint value) => { getLong(ref l); value = checked((uint)l); };
    }
}
