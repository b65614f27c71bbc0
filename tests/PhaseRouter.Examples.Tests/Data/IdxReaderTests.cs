using System.IO.Compression;
using PhaseRouter.Examples.MoeTraining.Data;

namespace PhaseRouter.Examples.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IdxFile Images(int count, int rows, int cols)
    {
        var data = new byte[count * rows * cols];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 7);
        }

        return new IdxFile([count, rows, cols], data);
    }

    private static byte[] Bytes(IdxFile file, bool compress)
    {
        using var ms = new MemoryStream();
        IdxWriter.Write(ms, file, compress);
        return ms.ToArray();
    }

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTrip_PreservesDimensionsAndData(bool compress)
    {
        var original = Images(3, 28, 28);
        var path = _dir.File(compress ? "x.gz" : "x");
        IdxWriter.Write(path, original, compress);

        var read = IdxReader.ReadImages(path, 28, 28);

        Assert.Equal(original.Dimensions, read.Dimensions);
        Assert.Equal(original.Data, read.Data);
    }

    [Fact]
    public void RoundTrip_Labels()
    {
        var labels = new IdxFile([5], [0, 9, 3, 3, 1]);
        var path = _dir.File("labels.gz");
        IdxWriter.Write(path, labels, compress: true);

        var read = IdxReader.ReadLabels(path, 10);

        Assert.Equal([5], read.Dimensions);
        Assert.Equal(labels.Data, read.Data);
    }

    [Fact]
    public void GzipIsDetectedByContentNotByName()
    {
        var path = WriteBytes("plain-name", Bytes(Images(2, 4, 4), compress: true));
        Assert.Equal([2, 4, 4], IdxReader.Read(path).Dimensions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BadMagic_IsRejected(bool compress)
    {
        var bytes = Bytes(Images(1, 2, 2), compress: false);
        bytes[0] = 0x12;
        bytes[1] = 0x34;
        if (compress)
        {
            bytes = Gzip(bytes);
        }

        var path = WriteBytes("bad", bytes);
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path));
        Assert.Contains("bad magic", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedElementType_IsRejected()
    {
        var bytes = Bytes(Images(1, 2, 2), compress: false);
        bytes[2] = 0x0D; // float
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(WriteBytes("float", bytes)));
        Assert.Contains("element type 0x0D", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroDimensions_IsRejected()
    {
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(WriteBytes("rank0", [0, 0, 8, 0])));
        Assert.Contains("zero dimensions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongImageSize_IsRejected()
    {
        var path = _dir.File("small.gz");
        IdxWriter.Write(path, Images(2, 27, 28), compress: true);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path, 28, 28));
        Assert.Contains("dimension 1 is 27 but 28 was expected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongRank_IsRejected()
    {
        var path = _dir.File("labels-as-images");
        IdxWriter.Write(path, new IdxFile([4], [1, 2, 3, 4]), compress: false);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path, 28, 28));
        Assert.Contains("expected 3 dimension(s) but the file has 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeDimension_IsRejected()
    {
        var bytes = Bytes(new IdxFile([2], [1, 2]), compress: false);
        bytes[4] = 0xFF; // dimension becomes negative
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(WriteBytes("neg", bytes)));
        Assert.Contains("must be positive", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeDeclaredSize_IsRejectedBeforeAllocating()
    {
        var bytes = Bytes(new IdxFile([1, 1, 1], [7]), compress: false);
        for (int i = 4; i < 16; i++)
        {
            bytes[i] = 0x7F;
        }

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(WriteBytes("huge", bytes)));
        Assert.Contains("corrupt or too large", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedData_IsRejected(bool compress)
    {
        var full = Bytes(Images(3, 28, 28), compress: false);
        var cut = full.AsSpan(0, full.Length - 100).ToArray();
        var path = WriteBytes("cut", compress ? Gzip(cut) : cut);

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path, 28, 28));
        Assert.Contains("truncated", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"{full.Length - 100 - 16} of {3 * 28 * 28} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedHeader_IsRejected()
    {
        var full = Bytes(Images(1, 28, 28), compress: false);
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(WriteBytes("header", full.AsSpan(0, 10).ToArray())));
        Assert.Contains("truncated IDX header", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void TooShortForMagic_IsRejected(int length)
    {
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(WriteBytes("tiny", new byte[length])));
        Assert.Contains("truncated", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TruncatedGzipStream_IsRejected()
    {
        var gz = Bytes(Images(20, 28, 28), compress: true);
        var path = WriteBytes("cut.gz", gz.AsSpan(0, gz.Length / 2).ToArray());

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path));
        Assert.Contains("truncated", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CorruptGzipStream_IsRejected()
    {
        var gz = Bytes(Images(20, 28, 28), compress: true);
        for (int i = 20; i < gz.Length - 20; i += 3)
        {
            gz[i] ^= 0x5A;
        }

        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(WriteBytes("corrupt.gz", gz)));
        Assert.Contains("corrupt.gz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrailingBytes_AreRejected()
    {
        var bytes = Bytes(new IdxFile([2], [1, 2]), compress: false).Concat(new byte[] { 9 }).ToArray();
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.Read(WriteBytes("trailing", bytes)));
        Assert.Contains("trailing bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelOutOfRange_IsRejected()
    {
        var path = _dir.File("labels");
        IdxWriter.Write(path, new IdxFile([3], [1, 10, 2]), compress: false);
        var ex = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path, 10));
        Assert.Contains("label 10 at index 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => IdxReader.Read(_dir.File("nope")));
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(raw);
        }

        return ms.ToArray();
    }
}
