using PhaseRouter.Examples.MoeTraining.Data;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>
/// Copies the images and labels of a batch into tensors (<c>[B, 784]</c> float32, <c>[B]</c> int64), standardising
/// the pixels with the training set's mean and standard deviation.
/// </summary>
public sealed class BatchBuilder
{
    private readonly ImageDataset _data;
    private readonly float _mean;
    private readonly float _scale;

    /// <summary>Builds batches from <paramref name="data"/>; pixels become <c>(p − mean) / std</c>.</summary>
    public BatchBuilder(ImageDataset data, float mean = 0f, float std = 1f)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(std);
        _mean = mean;
        _scale = 1f / std;
    }

    /// <summary>The batch of the images <c>indices[start .. start+count)</c>.</summary>
    public (Tensor Images, Tensor Labels) Build(IReadOnlyList<int> indices, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int p = _data.PixelsPerImage;

        // Fresh arrays per batch: a tensor made from a managed array may keep using that memory.
        var pixels = new float[count * p];
        var labels = new long[count];

        for (int i = 0; i < count; i++)
        {
            int index = indices[start + i];
            var source = _data.Pixels.AsSpan(index * p, p);
            var target = pixels.AsSpan(i * p, p);
            for (int j = 0; j < p; j++)
            {
                target[j] = (source[j] - _mean) * _scale;
            }

            labels[i] = _data.Labels[index];
        }

        return (tensor(pixels, [count, p]), tensor(labels, [count]));
    }
}
