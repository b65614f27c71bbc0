using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhaseRouter.Kernels;

/// <summary>
/// Sorting of short lists of distinct non-negative integers (a source's candidates or chosen targets: typically a few
/// dozen) by rank: each value's place is the number of values below it, counted a vector of lanes per compare. For
/// n ≤ 64 that is n · ⌈n / lanes⌉ compares with no data-dependent branches, several times faster than an introsort on
/// such lists. Longer lists, and machines without vector hardware, use <see cref="MemoryExtensions.Sort{T}(Span{T})"/>.
/// </summary>
[SkipLocalsInit] // the two stack buffers are written before they are read; zeroing them would cost as much as a short sort
internal static class SmallSort
{
    /// <summary>The longest list sorted by rank.</summary>
    public const int MaxRankLength = 64;

    /// <summary>Sorts distinct values, each in <c>[0, int.MaxValue)</c>, ascending.</summary>
    public static void SortDistinct(Span<int> values)
    {
        int n = values.Length;
        if (n <= 1)
        {
            return;
        }

        if (n > MaxRankLength || !Vector128.IsHardwareAccelerated)
        {
            values.Sort();
            return;
        }

        // Padding lanes hold int.MaxValue, which is below no value, so they never add to a rank.
        Span<int> padded = stackalloc int[MaxRankLength];
        Span<int> sorted = stackalloc int[MaxRankLength];
        values.CopyTo(padded);
        if (Vector512.IsHardwareAccelerated && n > Vector256<int>.Count)
        {
            RankSort512(values, padded, sorted);
        }
        else if (Vector256.IsHardwareAccelerated && n > Vector128<int>.Count)
        {
            RankSort256(values, padded, sorted);
        }
        else
        {
            RankSort128(values, padded, sorted);
        }

        sorted[..n].CopyTo(values);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RankSort512(ReadOnlySpan<int> values, Span<int> padded, Span<int> sorted)
    {
        int n = values.Length;
        int chunks = (n + Vector512<int>.Count - 1) / Vector512<int>.Count;
        padded[n..(chunks * Vector512<int>.Count)].Fill(int.MaxValue);
        ref int start = ref MemoryMarshal.GetReference(padded);
        for (int i = 0; i < n; i++)
        {
            Vector512<int> x = Vector512.Create(values[i]);
            int rank = 0;
            for (int c = 0; c < chunks; c++)
            {
                Vector512<int> v = Vector512.LoadUnsafe(ref start, (nuint)(c * Vector512<int>.Count));
                rank += BitOperations.PopCount(Vector512.LessThan(v, x).ExtractMostSignificantBits());
            }

            sorted[rank] = values[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RankSort256(ReadOnlySpan<int> values, Span<int> padded, Span<int> sorted)
    {
        int n = values.Length;
        int chunks = (n + Vector256<int>.Count - 1) / Vector256<int>.Count;
        padded[n..(chunks * Vector256<int>.Count)].Fill(int.MaxValue);
        ref int start = ref MemoryMarshal.GetReference(padded);
        for (int i = 0; i < n; i++)
        {
            Vector256<int> x = Vector256.Create(values[i]);
            int rank = 0;
            for (int c = 0; c < chunks; c++)
            {
                Vector256<int> v = Vector256.LoadUnsafe(ref start, (nuint)(c * Vector256<int>.Count));
                rank += BitOperations.PopCount(Vector256.LessThan(v, x).ExtractMostSignificantBits());
            }

            sorted[rank] = values[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RankSort128(ReadOnlySpan<int> values, Span<int> padded, Span<int> sorted)
    {
        int n = values.Length;
        int chunks = (n + Vector128<int>.Count - 1) / Vector128<int>.Count;
        padded[n..(chunks * Vector128<int>.Count)].Fill(int.MaxValue);
        ref int start = ref MemoryMarshal.GetReference(padded);
        for (int i = 0; i < n; i++)
        {
            Vector128<int> x = Vector128.Create(values[i]);
            int rank = 0;
            for (int c = 0; c < chunks; c++)
            {
                Vector128<int> v = Vector128.LoadUnsafe(ref start, (nuint)(c * Vector128<int>.Count));
                rank += BitOperations.PopCount(Vector128.LessThan(v, x).ExtractMostSignificantBits());
            }

            sorted[rank] = values[i];
        }
    }
}
