using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PhaseRouter.Engine;

namespace PhaseRouter.Kernels;

/// <summary>Row degrees of packed and dense inputs (SPEC step 1 keeps nothing else).</summary>
internal static class DegreeCounter
{
    /// <summary>Population count of a span of words.</summary>
    public static int PopCount(ReadOnlySpan<ulong> words)
    {
        // popcnt retires one word per cycle; four accumulators keep the loop from waiting on one sum.
        long a = 0, b = 0, c = 0, d = 0;
        int i = 0;
        for (; i <= words.Length - 4; i += 4)
        {
            a += BitOperations.PopCount(words[i]);
            b += BitOperations.PopCount(words[i + 1]);
            c += BitOperations.PopCount(words[i + 2]);
            d += BitOperations.PopCount(words[i + 3]);
        }

        long total = a + b + c + d;
        for (; i < words.Length; i++)
        {
            total += BitOperations.PopCount(words[i]);
        }

        return (int)total;
    }

    /// <summary>Writes the degree of every row of <paramref name="matrix"/> into <paramref name="degrees"/>.</summary>
    public static void RowDegrees(BitMatrix matrix, int[] degrees, int maxDegreeOfParallelism)
    {
        int rows = matrix.Rows;
        int wpr = matrix.WordsPerRow;
        ulong[] words = matrix.RawWords;
        ParallelRows.For(rows, (long)rows * wpr, maxDegreeOfParallelism, (from, to) =>
        {
            for (int r = from; r < to; r++)
            {
                degrees[r] = PopCount(new ReadOnlySpan<ulong>(words, r * wpr, wpr));
            }
        });
    }

    /// <summary>Writes the number of non-zero bytes of every row of a dense matrix into <paramref name="degrees"/>.</summary>
    public static void RowDegrees(byte[,] dense, int[] degrees, int maxDegreeOfParallelism)
    {
        int rows = dense.GetLength(0);
        int columns = dense.GetLength(1);
        ParallelRows.For(rows, (long)rows * columns / 8, maxDegreeOfParallelism, (from, to) =>
        {
            ref byte data = ref MemoryMarshal.GetArrayDataReference(dense);
            for (int r = from; r < to; r++)
            {
                var row = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref data, (nint)r * columns), columns);
                degrees[r] = columns - CountZeros(row);
            }
        });
    }

    /// <summary>Number of zero bytes, 64 bytes a step where the hardware allows.</summary>
    public static int CountZeros(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        int zeros = 0;
        ref byte start = ref MemoryMarshal.GetReference(bytes);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= bytes.Length - Vector512<byte>.Count; i += Vector512<byte>.Count)
            {
                zeros += BitOperations.PopCount(Vector512.Equals(Vector512.LoadUnsafe(ref start, (nuint)i), Vector512<byte>.Zero).ExtractMostSignificantBits());
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= bytes.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                zeros += BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), Vector256<byte>.Zero).ExtractMostSignificantBits());
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= bytes.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                zeros += BitOperations.PopCount(Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), Vector128<byte>.Zero).ExtractMostSignificantBits());
            }
        }

        for (; i < bytes.Length; i++)
        {
            zeros += bytes[i] == 0 ? 1 : 0;
        }

        return zeros;
    }
}
