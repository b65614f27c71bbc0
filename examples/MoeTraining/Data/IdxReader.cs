using System.Buffers.Binary;
using System.IO.Compression;

namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not, and validates them:
/// the magic number, the element type, the dimensions against what the caller expects, and that
/// the data is exactly as long as the header says (a truncated file or trailing bytes are errors).
/// </summary>
public static class IdxReader
{
    private const int MaxElements = 1 << 30;

    /// <summary>Reads an IDX file from disk; a file starting with the gzip magic is decompressed.</summary>
    public static IdxFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        }

        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an IDX file from a stream; <paramref name="sourceName"/> names it in error messages.</summary>
    public static IdxFile Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        var buffered = stream is BufferedStream ? stream : new BufferedStream(stream, 1 << 16);
        var first = new byte[2];
        int got = ReadFully(buffered, first);
        if (got < 2)
        {
            throw new IdxFormatException($"{sourceName}: truncated IDX file ({got} bytes, the header needs at least 4).");
        }

        bool gzip = first[0] == 0x1f && first[1] == 0x8b;
        Stream payload = new PrefixedStream(first, buffered);
        if (gzip)
        {
            payload = new GZipStream(payload, CompressionMode.Decompress);
        }

        try
        {
            return ReadPayload(payload, sourceName);
        }
        catch (InvalidDataException ex)
        {
            throw new IdxFormatException($"{sourceName}: corrupt gzip data ({ex.Message}).", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new IdxFormatException($"{sourceName}: truncated gzip data ({ex.Message}).", ex);
        }
        finally
        {
            payload.Dispose();
        }
    }

    /// <summary>Reads an image file: three dimensions <c>[count, rows, cols]</c> with the given rows and columns.</summary>
    public static IdxFile ReadImages(string path, int rows, int cols)
    {
        var file = Read(path);
        ExpectShape(file, path, 3, null, rows, cols);
        return file;
    }

    /// <summary>Reads a label file: one dimension, every label below <paramref name="classes"/>.</summary>
    public static IdxFile ReadLabels(string path, int classes)
    {
        var file = Read(path);
        ExpectShape(file, path, 1);
        for (int i = 0; i < file.Data.Length; i++)
        {
            if (file.Data[i] >= classes)
            {
                throw new IdxFormatException($"{path}: label {file.Data[i]} at index {i} is outside [0, {classes}).");
            }
        }

        return file;
    }

    /// <summary>
    /// Checks the number of dimensions and, where given, the size of each one (a null entry means any size).
    /// </summary>
    public static void ExpectShape(IdxFile file, string sourceName, int rank, params int?[] sizes)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Dimensions.Count != rank)
        {
            throw new IdxFormatException(
                $"{sourceName}: expected {rank} dimension(s) but the file has {file.Dimensions.Count} ({FormatDims(file.Dimensions)}).");
        }

        for (int i = 0; i < sizes.Length && i < rank; i++)
        {
            if (sizes[i] is int want && file.Dimensions[i] != want)
            {
                throw new IdxFormatException(
                    $"{sourceName}: dimension {i} is {file.Dimensions[i]} but {want} was expected (shape {FormatDims(file.Dimensions)}).");
            }
        }
    }

    private static IdxFile ReadPayload(Stream payload, string sourceName)
    {
        var magic = new byte[4];
        int got = ReadFully(payload, magic);
        if (got < 4)
        {
            throw new IdxFormatException($"{sourceName}: truncated IDX file ({got} bytes, the header needs at least 4).");
        }

        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new IdxFormatException(
                $"{sourceName}: bad magic number 0x{magic[0]:X2}{magic[1]:X2}{magic[2]:X2}{magic[3]:X2} (an IDX file starts with two zero bytes).");
        }

        if (magic[2] != IdxFile.UnsignedByteType)
        {
            throw new IdxFormatException(
                $"{sourceName}: unsupported IDX element type 0x{magic[2]:X2} (only unsigned byte, 0x08, is supported).");
        }

        int rank = magic[3];
        if (rank == 0)
        {
            throw new IdxFormatException($"{sourceName}: bad magic number, the IDX file declares zero dimensions.");
        }

        var dimBytes = new byte[4 * rank];
        got = ReadFully(payload, dimBytes);
        if (got < dimBytes.Length)
        {
            throw new IdxFormatException(
                $"{sourceName}: truncated IDX header ({4 + got} of {4 + dimBytes.Length} header bytes).");
        }

        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i, 4));
            if (dims[i] <= 0)
            {
                throw new IdxFormatException($"{sourceName}: dimension {i} is {dims[i]}; IDX dimensions must be positive.");
            }

            count *= dims[i];
            if (count > MaxElements)
            {
                throw new IdxFormatException(
                    $"{sourceName}: the header declares more than {MaxElements} elements ({FormatDims(dims)}); the file is corrupt or too large.");
            }
        }

        var data = new byte[count];
        got = ReadFully(payload, data);
        if (got < data.Length)
        {
            throw new IdxFormatException(
                $"{sourceName}: truncated IDX data: {got} of {data.Length} bytes for shape {FormatDims(dims)}.");
        }

        if (payload.ReadByte() >= 0)
        {
            throw new IdxFormatException(
                $"{sourceName}: trailing bytes after the {data.Length} data bytes of shape {FormatDims(dims)}; the header does not match the file.");
        }

        return new IdxFile(dims, data);
    }

    private static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private static string FormatDims(IReadOnlyList<int> dims) => "[" + string.Join(", ", dims) + "]";
}
