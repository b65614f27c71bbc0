using PhaseRouter.Examples.MoeTraining.Data;
using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Training;

/// <summary>Copies the images and labels of a batch into tensors (<c>[B, 784]</c> float32, <c>[B]</c> int64).</summary>
public sealed class BatchBuilder
{
    private readonly ImageDataset _data;

    /// <summary>Builds batches from <paramref name="data"/>.</summary>
    public BatchBuilder(ImageDataset data)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
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
            Array.Copy(_data.Pixels, (long)index * p, pixels, (long)i * p, p);
            labels[i] = _data.Labels[index];
        }

        return (tensor(pixels, [count, p]), tensor(labels, [count]));
    }
}
