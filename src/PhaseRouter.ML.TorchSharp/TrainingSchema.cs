using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML.TorchSharp;

/// <summary>Finds and checks the feature and label columns, with ML.NET-style schema-mismatch errors naming the column.</summary>
internal static class TrainingSchema
{
    /// <summary>The feature column: a known-size vector of <see cref="float"/>, with <paramref name="expectedSize"/> slots when given.</summary>
    public static DataViewSchema.Column Features(DataViewSchema schema, string name, string paramName, int? expectedSize = null)
    {
        DataViewSchema.Column column = Find(schema, name, "feature", paramName);
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(paramName,
                $"Schema mismatch for feature column '{name}': expected a known-size vector of Single, got {column.Type}.");
        }

        if (expectedSize is int size && vector.Size != size)
        {
            throw new ArgumentOutOfRangeException(paramName,
                $"Schema mismatch for feature column '{name}': the model was trained on {size.ToString(CultureInfo.InvariantCulture)} features, got {column.Type}.");
        }

        return column;
    }

    /// <summary>The label column: a key type with at least two values (the classes).</summary>
    public static DataViewSchema.Column Label(DataViewSchema schema, string name, string paramName)
    {
        DataViewSchema.Column column = Find(schema, name, "label", paramName);
        if (column.Type is not KeyDataViewType key || key.Count < 2 || key.Count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(paramName,
                $"Schema mismatch for label column '{name}': expected a key type with 2 or more values (map the label with MapValueToKey), got {column.Type}.");
        }

        return column;
    }

    /// <summary>The label's class names (its KeyValues annotation as text), or <see langword="null"/> when it has none of text type.</summary>
    public static string[]? ClassNames(DataViewSchema.Column label)
    {
        if (!label.HasKeyValues(TextDataViewType.Instance))
        {
            return null;
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        label.GetKeyValues(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        return schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(paramName,
            $"Could not find {role} column '{name}' in the input schema (columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
    }
}
