namespace PhaseRouter.Examples.MoeTraining.Data;

/// <summary>
/// Labelled single-channel images as floats in row-major order (<c>[count, height, width]</c>),
/// the common shape of Fashion-MNIST and the synthetic mixture task.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Image side length of both data sets.</summary>
    public const int Side = 28;

    /// <summary>Number of classes of both data sets.</summary>
    public const int ClassCount = 10;

    /// <summary>Creates a data set and checks that pixels and labels agree in count.</summary>
    public ImageDataset(float[] pixels, byte[] labels, int height = Side, int width = Side, int classes = ClassCount)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (height <= 0 || width <= 0 || classes <= 0)
        {
            throw new ArgumentException("Height, width and classes must be positive.");
        }

        if (pixels.LongLength != (long)labels.Length * height * width)
        {
            throw new ArgumentException(
                $"{labels.Length} labels need {(long)labels.Length * height * width} pixels, got {pixels.LongLength}.",
                nameof(pixels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes)
            {
                throw new ArgumentException($"Label {labels[i]} at {i} is outside [0, {classes}).", nameof(labels));
            }
        }

        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        Classes = classes;
    }

    /// <summary>All pixels, image after image.</summary>
    public float[] Pixels { get; }

    /// <summary>One label per image.</summary>
    public byte[] Labels { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Pixels per image.</summary>
    public int PixelsPerImage => Height * Width;

    /// <summary>Converts IDX image and label files (bytes 0..255) into a data set scaled to [0, 1].</summary>
    public static ImageDataset FromIdx(IdxFile images, IdxFile labels, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Dimensions.Count != 3 || labels.Dimensions.Count != 1)
        {
            throw new IdxFormatException($"{sourceName}: expected images [n, rows, cols] and labels [n].");
        }

        if (images.Dimensions[0] != labels.Dimensions[0])
        {
            throw new IdxFormatException(
                $"{sourceName}: {images.Dimensions[0]} images but {labels.Dimensions[0]} labels.");
        }

        var pixels = new float[images.Data.Length];
        const float scale = 1f / 255f;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = images.Data[i] * scale;
        }

        return new ImageDataset(pixels, labels.Data, images.Dimensions[1], images.Dimensions[2]);
    }

    /// <summary>The first <paramref name="count"/> images (or all when <paramref name="count"/> is null or larger).</summary>
    public ImageDataset Take(int? count)
    {
        if (count is null || count.Value >= Count)
        {
            return this;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count.Value);
        int n = count.Value;
        return new ImageDataset(
            Pixels.AsSpan(0, n * PixelsPerImage).ToArray(),
            Labels.AsSpan(0, n).ToArray(),
            Height,
            Width,
            Classes);
    }

    /// <summary>Mean and standard deviation of all pixels.</summary>
    public (float Mean, float Std) PixelStatistics()
    {
        double sum = 0;
        double sumSquares = 0;
        foreach (var p in Pixels)
        {
            sum += p;
            sumSquares += (double)p * p;
        }

        long n = Math.Max(1, Pixels.LongLength);
        double mean = sum / n;
        double variance = Math.Max(0, (sumSquares / n) - (mean * mean));
        return ((float)mean, (float)Math.Max(Math.Sqrt(variance), 1e-6));
    }

    /// <summary>How many images each class has.</summary>
    public int[] ClassHistogram()
    {
        var h = new int[Classes];
        foreach (var l in Labels)
        {
            h[l]++;
        }

        return h;
    }
}
