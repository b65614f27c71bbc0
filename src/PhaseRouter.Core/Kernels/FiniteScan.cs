using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhaseRouter.Kernels;

/// <summary>Finds the first value that is NaN or ±∞ (the gates' one check of their scores).</summary>
internal static class FiniteScan
{
    /// <summary>Index of the first NaN, +∞ or −∞, or -1. <c>x − x</c> is 0 exactly for finite x and NaN otherwise.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        ref float start = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref start, (nuint)i);
                ulong bad = (~Vector512.Equals(v - v, Vector512<float>.Zero)).ExtractMostSignificantBits();
                if (bad != 0)
                {
                    return i + BitOperations.TrailingZeroCount(bad);
                }
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                uint bad = (~Vector256.Equals(v - v, Vector256<float>.Zero)).ExtractMostSignificantBits();
                if (bad != 0)
                {
                    return i + BitOperations.TrailingZeroCount(bad);
                }
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> v = Vector128.LoadUnsafe(ref start, (nuint)i);
                uint bad = (~Vector128.Equals(v - v, Vector128<float>.Zero)).ExtractMostSignificantBits();
                if (bad != 0)
                {
                    return i + BitOperations.TrailingZeroCount(bad);
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
