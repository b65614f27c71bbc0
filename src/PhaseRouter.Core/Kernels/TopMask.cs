using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PhaseRouter.Kernels;

/// <summary>
/// The best few columns of a short score row (at most 64 columns) as a bit mask: bit c is set when column c is among
/// the row's best <c>depth</c> in the order "higher score first, ties to the lower column" (the order of
/// <see cref="RowSelector"/>; −0 and +0 tie). A selection by masks: each round takes the middle candidate (by column)
/// as the pivot, one vector compare of the whole row against it splits the candidates into those ranked before it
/// and the rest, and the side that holds the answer is kept. About log₂ E rounds, each a few vector instructions, no
/// sorting and no memory traffic beyond the row.
/// </summary>
internal static class TopMask
{
    /// <summary>The longest row a mask can describe.</summary>
    public const int MaxColumns = 64;

    /// <summary>The mask of all columns of a row of <paramref name="columns"/> (at most 64).</summary>
    public static ulong All(int columns) => columns == 64 ? ulong.MaxValue : (1UL << columns) - 1;

    /// <summary>
    /// The best <paramref name="depth"/> of the <paramref name="candidates"/> (a mask over the row's columns), as a
    /// mask. Scores must not be NaN.
    /// </summary>
    /// <param name="row">At most 64 scores.</param>
    /// <param name="candidates">The columns to choose from.</param>
    /// <param name="depth">How many to keep (all candidates when there are fewer).</param>
    public static ulong Best(ReadOnlySpan<float> row, ulong candidates, int depth)
    {
        if (Vector512.IsHardwareAccelerated && row.Length % Vector512<float>.Count == 0)
        {
            return BestInRegisters(row, candidates, depth);
        }

        ulong result = 0;
        while (depth > 0 && depth < BitOperations.PopCount(candidates))
        {
            int pivot = MiddleBit(candidates, BitOperations.PopCount(candidates));
            Compare(row, row[pivot], out ulong greater, out ulong equal);
            Narrow(greater, equal, pivot, ref candidates, ref result, ref depth);
        }

        return depth > 0 ? result | candidates : result;
    }

    /// <summary>
    /// <see cref="Best"/> for rows of 16, 32, 48 or 64 scores held in four registers (lanes past the row are zeros,
    /// never candidates): no memory traffic after the first load.
    /// </summary>
    private static ulong BestInRegisters(ReadOnlySpan<float> row, ulong candidates, int depth)
    {
        const int Width = 16;
        ref float start = ref MemoryMarshal.GetReference(row);
        int chunks = row.Length / Width;
        Vector512<float> v0 = Vector512.LoadUnsafe(ref start);
        Vector512<float> v1 = chunks > 1 ? Vector512.LoadUnsafe(ref start, Width) : default;
        Vector512<float> v2 = chunks > 2 ? Vector512.LoadUnsafe(ref start, 2 * Width) : default;
        Vector512<float> v3 = chunks > 3 ? Vector512.LoadUnsafe(ref start, 3 * Width) : default;
        ulong result = 0;
        while (depth > 0 && depth < BitOperations.PopCount(candidates))
        {
            int pivot = MiddleBit(candidates, BitOperations.PopCount(candidates));
            Vector512<float> p = Vector512.Create(Unsafe.Add(ref start, pivot));
            ulong greater = Vector512.GreaterThan(v0, p).ExtractMostSignificantBits()
                | Vector512.GreaterThan(v1, p).ExtractMostSignificantBits() << Width
                | Vector512.GreaterThan(v2, p).ExtractMostSignificantBits() << (2 * Width)
                | Vector512.GreaterThan(v3, p).ExtractMostSignificantBits() << (3 * Width);
            ulong equal = Vector512.Equals(v0, p).ExtractMostSignificantBits()
                | Vector512.Equals(v1, p).ExtractMostSignificantBits() << Width
                | Vector512.Equals(v2, p).ExtractMostSignificantBits() << (2 * Width)
                | Vector512.Equals(v3, p).ExtractMostSignificantBits() << (3 * Width);
            Narrow(greater, equal, pivot, ref candidates, ref result, ref depth);
        }

        return depth > 0 ? result | candidates : result;
    }

    /// <summary>
    /// One selection round, without branches (the side taken is a coin toss on random scores, so a branch would
    /// mispredict half the time): when at least <paramref name="depth"/> candidates rank before the pivot the answer
    /// lies among them; otherwise all of them and the pivot belong to it and the rest is searched for the remainder.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(ulong greater, ulong equal, int pivot, ref ulong candidates, ref ulong result, ref int depth)
    {
        ulong pivotBit = 1UL << pivot;
        ulong before = (greater | (equal & (pivotBit - 1))) & candidates;
        int ahead = BitOperations.PopCount(before);
        ulong inside = 0UL - (ahead >= depth ? 1UL : 0UL); // all ones when the answer lies before the pivot
        ulong taken = (before | pivotBit) & ~inside;
        result |= taken;
        candidates = (before & inside) | (candidates & ~before & ~pivotBit & ~inside);
        depth -= (ahead + 1) & (int)~inside;
    }

    /// <summary>The column of the middle set bit (the <c>count / 2</c>-th, from 0) of <paramref name="bits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MiddleBit(ulong bits, int count)
    {
        if (Bmi2.X64.IsSupported)
        {
            return BitOperations.TrailingZeroCount(Bmi2.X64.ParallelBitDeposit(1UL << (count >> 1), bits));
        }

        for (int i = count >> 1; i > 0; i--)
        {
            bits &= bits - 1;
        }

        return BitOperations.TrailingZeroCount(bits);
    }

    /// <summary>Masks of the columns whose score is above <paramref name="pivot"/> and equal to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Compare(ReadOnlySpan<float> row, float pivot, out ulong greater, out ulong equal)
    {
        ref float start = ref MemoryMarshal.GetReference(row);
        ulong gt = 0;
        ulong eq = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> p = Vector512.Create(pivot);
            for (; i <= row.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref start, (nuint)i);
                gt |= Vector512.GreaterThan(v, p).ExtractMostSignificantBits() << i;
                eq |= Vector512.Equals(v, p).ExtractMostSignificantBits() << i;
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> p = Vector256.Create(pivot);
            for (; i <= row.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                gt |= (ulong)Vector256.GreaterThan(v, p).ExtractMostSignificantBits() << i;
                eq |= (ulong)Vector256.Equals(v, p).ExtractMostSignificantBits() << i;
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<float> p = Vector128.Create(pivot);
            for (; i <= row.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128<float> v = Vector128.LoadUnsafe(ref start, (nuint)i);
                gt |= (ulong)Vector128.GreaterThan(v, p).ExtractMostSignificantBits() << i;
                eq |= (ulong)Vector128.Equals(v, p).ExtractMostSignificantBits() << i;
            }
        }

        for (; i < row.Length; i++)
        {
            float v = Unsafe.Add(ref start, i);
            gt |= (v > pivot ? 1UL : 0UL) << i;
            eq |= (v == pivot ? 1UL : 0UL) << i;
        }

        greater = gt;
        equal = eq;
    }
}
