using static TorchSharp.torch;

namespace PhaseRouter.Examples.MoeTraining.Model;

/// <summary>Cuts images into non-overlapping square patches (the tokens of the model).</summary>
public static class Patches
{
    /// <summary>
    /// <c>[B, side·side]</c> (or <c>[B, side, side]</c>) → <c>[B, (side/p)², p·p]</c>, patches in row-major order,
    /// pixels of a patch in row-major order.
    /// </summary>
    public static Tensor Extract(Tensor images, int side, int patch)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (side % patch != 0)
        {
            throw new ArgumentException($"Image side {side} is not a multiple of the patch side {patch}.");
        }

        long b = images.shape[0];
        int n = side / patch;
        return images.reshape(b, n, patch, n, patch).permute(0, 1, 3, 2, 4).reshape(b, n * n, patch * patch);
    }
}
