using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace PhaseRouter.ML;

/// <summary>
/// Builds <see cref="SchemaShape.Column"/> values outside ML.NET. Its constructor is internal on purpose
/// (dotnet/machinelearning#3243), yet <see cref="IEstimator{TTransformer}.GetOutputSchema(SchemaShape)"/> must
/// return a shape with the new column; this fills the public read-only fields of a default value instead, exactly
/// as the internal constructor does, without reflection.
/// </summary>
internal static class SchemaShapes
{
    private static readonly SchemaShape Empty = new([]);

    /// <summary>A column shape, with the shapes of its annotations (none by default).</summary>
    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey,
        SchemaShape? annotations = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(itemType);
        SchemaShape.Column column = default;
        Unsafe.AsRef(in column.Name) = name;
        Unsafe.AsRef(in column.Kind) = kind;
        Unsafe.AsRef(in column.ItemType) = itemType;
        Unsafe.AsRef(in column.IsKey) = isKey;
        Unsafe.AsRef(in column.Annotations) = annotations ?? Empty;
        return column;
    }

    /// <summary>The shape of a schema (ML.NET's own <c>SchemaShape.Create</c> is internal); hidden columns are left out.</summary>
    public static SchemaShape FromSchema(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new SchemaShape(schema.Where(c => !c.IsHidden).Select(c => FromType(c.Name, c.Type)));
    }

    /// <summary>The shape of one column of the given type.</summary>
    public static SchemaShape.Column FromType(string name, DataViewType type)
    {
        var kind = SchemaShape.Column.VectorKind.Scalar;
        DataViewType item = type;
        if (type is VectorDataViewType vector)
        {
            kind = vector.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector;
            item = vector.ItemType;
        }

        bool isKey = false;
        if (item is KeyDataViewType key)
        {
            isKey = true;
            item = KeyRawType(key);
        }

        return Column(name, kind, item, isKey);
    }

    /// <summary>The column of <paramref name="shape"/> named <paramref name="name"/>, if any.</summary>
    public static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column)
    {
        foreach (SchemaShape.Column c in shape)
        {
            if (c.Name == name)
            {
                column = c;
                return true;
            }
        }

        column = default;
        return false;
    }

    /// <summary>A readable type name for error messages, e.g. <c>Vector&lt;Single&gt;</c>.</summary>
    public static string Describe(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}";
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    private static NumberDataViewType KeyRawType(KeyDataViewType key) => key.RawType switch
    {
        var t when t == typeof(byte) => NumberDataViewType.Byte,
        var t when t == typeof(ushort) => NumberDataViewType.UInt16,
        var t when t == typeof(ulong) => NumberDataViewType.UInt64,
        _ => NumberDataViewType.UInt32,
    };
}
