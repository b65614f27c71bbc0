namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>
/// The content of an IDX file of unsigned bytes (the MNIST / Fashion-MNIST format):
/// its dimensions (big-endian int32 in the header) and its row-major data.
/// </summary>
public sealed class IdxFile
{
    /// <summary>The IDX element-type code of unsigned bytes, the only type this reader supports.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Creates an IDX file content and checks that the data matches the dimensions.</summary>
    public IdxFile(IReadOnlyList<int> dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Count is < 1 or > 255)
        {
            throw new ArgumentException("An IDX file has between 1 and 255 dimensions.", nameof(dimensions));
        }

        long count = 1;
        foreach (var d in dimensions)
        {
            if (d <= 0)
            {
                throw new ArgumentException($"IDX dimensions must be positive, got {d}.", nameof(dimensions));
            }

            count *= d;
        }

        if (count != data.LongLength)
        {
            throw new ArgumentException($"The data holds {data.LongLength} bytes but the dimensions need {count}.", nameof(data));
        }

        Dimensions = dimensions.ToArray();
        Data = data;
    }

    /// <summary>The size of each dimension, outermost first.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The elements in row-major order.</summary>
    public byte[] Data { get; }
}
