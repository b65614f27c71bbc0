using System.Buffers.Binary;
using System.IO.Compression;

namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>Writes IDX files of unsigned bytes, optionally gzip-compressed (the inverse of <see cref="IdxReader"/>).</summary>
public static class IdxWriter
{
    /// <summary>Writes <paramref name="file"/> to <paramref name="path"/>; gzip when <paramref name="compress"/>.</summary>
    public static void Write(string path, IdxFile file, bool compress)
    {
        using var stream = File.Create(path);
        Write(stream, file, compress);
    }

    /// <summary>Writes <paramref name="file"/> to a stream; gzip when <paramref name="compress"/>.</summary>
    public static void Write(Stream stream, IdxFile file, bool compress)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        if (compress)
        {
            using var gz = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            WriteRaw(gz, file);
        }
        else
        {
            WriteRaw(stream, file);
        }
    }

    private static void WriteRaw(Stream stream, IdxFile file)
    {
        var header = new byte[4 + (4 * file.Dimensions.Count)];
        header[2] = IdxFile.UnsignedByteType;
        header[3] = (byte)file.Dimensions.Count;
        for (int i = 0; i < file.Dimensions.Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i), 4), file.Dimensions[i]);
        }

        stream.Write(header);
        stream.Write(file.Data);
    }
}
