using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhaseRouter.Kernels;

/// <summary>
/// The production kernel: the closed form evaluated per source, choosing per row the cheaper side.
/// <list type="bullet">
/// <item>Arc side, O(s_i / 16): the targets on source i's arc of the C-ring are one contiguous slice of the
/// doubled ring tables, so the target-side test <c>(πT[i] − φT_j) mod R &lt; t_j</c> runs 16 lanes at a time.</item>
/// <item>Line side, O(⌈Σt/R⌉ · log C): the targets whose arcs cover source i's place <c>q = πT[i]</c> on the
/// R-ring own the line points <c>q, q + R, q + 2R, …</c> of the unrolled target arcs, each found by binary search;
/// only the source-side test remains.</item>
/// </list>
/// </summary>
internal sealed class ArcScanKernel : CandidateKernel
{
    private readonly int _log2C;

    public ArcScanKernel(PhaseLayout layout)
        : base(layout) => _log2C = layout.C <= 1 ? 1 : BitOperations.Log2((uint)layout.C) + 1;

    public override int Enumerate(int row, Span<int> destination) => Enumerate(row, destination, ordered: true);

    public override int EnumerateUnordered(int row, Span<int> destination) => Enumerate(row, destination, ordered: false);

    private int Enumerate(int row, Span<int> destination, bool ordered)
    {
        PhaseLayout layout = Layout;
        int s = layout.SourceDegrees[row];
        long totalT = layout.TotalTargetDegree;
        if (s == 0 || totalT == 0)
        {
            return 0;
        }

        if (layout.IsComplete(row))
        {
            layout.AllTargets.CopyTo(destination);
            return layout.C;
        }

        int q = layout.PiT[row];
        long linePoints = (totalT - q + layout.R - 1) / layout.R;

        // The line side costs a binary search per point; the arc side a vector compare per 16 positions.
        bool line = linePoints * (_log2C + 2) * 8 < s;
        int count = line
            ? EnumerateLine(row, q, s, destination)
            : EnumerateArc(q, layout.PhiS[row], s, destination);
        if (ordered && count > 1 && !(line && layout.TargetsDealtInOrder))
        {
            SortAscending(destination[..count]);
        }

        return count;
    }

    /// <summary>
    /// Orders distinct targets ascending: through a bitmap of the C targets when the list is dense in it (one pass
    /// over C/64 words beats a comparison sort), else by sorting.
    /// </summary>
    private void SortAscending(Span<int> targets)
    {
        int words = (Layout.C + 63) >> 6;
        if (targets.Length <= SmallSort.MaxRankLength || words > targets.Length * 2)
        {
            SmallSort.SortDistinct(targets);
            return;
        }

        Span<ulong> bitmap = words <= 512 ? stackalloc ulong[words] : new ulong[words];
        bitmap.Clear();
        foreach (int j in targets)
        {
            bitmap[j >> 6] |= 1UL << j;
        }

        int count = 0;
        for (int w = 0; w < words; w++)
        {
            ulong bits = bitmap[w];
            while (bits != 0)
            {
                targets[count++] = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }
    }

    private int EnumerateArc(int q, int start, int length, Span<int> destination)
    {
        PhaseLayout layout = Layout;
        if (layout.PhiTAt16 is not null)
        {
            return EnumerateArc16(q, start, length, destination);
        }

        ref int phi = ref MemoryMarshal.GetArrayDataReference(layout.PhiTAt!);
        ref int degree = ref MemoryMarshal.GetArrayDataReference(layout.DegreeTAt!);
        int[] targetAt = layout.TargetAt;
        int ring = layout.R;
        int end = start + length;
        int p = start;
        int count = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<int> vq = Vector512.Create(q);
            Vector512<int> vring = Vector512.Create(ring);
            for (; p <= end - Vector512<int>.Count; p += Vector512<int>.Count)
            {
                Vector512<int> d = vq - Vector512.LoadUnsafe(ref phi, (nuint)p);
                d += Vector512.ShiftRightArithmetic(d, 31) & vring;
                ulong bits = Vector512.LessThan(d, Vector512.LoadUnsafe(ref degree, (nuint)p)).ExtractMostSignificantBits();
                count = Emit(bits, p, targetAt, destination, count);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<int> vq = Vector256.Create(q);
            Vector256<int> vring = Vector256.Create(ring);
            for (; p <= end - Vector256<int>.Count; p += Vector256<int>.Count)
            {
                Vector256<int> d = vq - Vector256.LoadUnsafe(ref phi, (nuint)p);
                d += Vector256.ShiftRightArithmetic(d, 31) & vring;
                uint bits = Vector256.LessThan(d, Vector256.LoadUnsafe(ref degree, (nuint)p)).ExtractMostSignificantBits();
                count = Emit(bits, p, targetAt, destination, count);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<int> vq = Vector128.Create(q);
            Vector128<int> vring = Vector128.Create(ring);
            for (; p <= end - Vector128<int>.Count; p += Vector128<int>.Count)
            {
                Vector128<int> d = vq - Vector128.LoadUnsafe(ref phi, (nuint)p);
                d += Vector128.ShiftRightArithmetic(d, 31) & vring;
                uint bits = Vector128.LessThan(d, Vector128.LoadUnsafe(ref degree, (nuint)p)).ExtractMostSignificantBits();
                count = Emit(bits, p, targetAt, destination, count);
            }
        }

        for (; p < end; p++)
        {
            int d = q - Unsafe.Add(ref phi, p);
            if (d < 0)
            {
                d += ring;
            }

            if (d < Unsafe.Add(ref degree, p))
            {
                destination[count++] = targetAt[p];
            }
        }

        return count;
    }

    /// <summary>
    /// The arc side on 16-bit tables (R ≤ 65535): <c>d = q − φ</c> wraps modulo 2^16, and adding R where <c>q &lt; φ</c>
    /// gives <c>(q − φ) mod R</c> exactly, since it is below R ≤ 65535; then the unsigned test <c>d &lt; t</c>.
    /// </summary>
    private int EnumerateArc16(int q, int start, int length, Span<int> destination)
    {
        PhaseLayout layout = Layout;
        ref ushort phi = ref MemoryMarshal.GetArrayDataReference(layout.PhiTAt16!);
        ref ushort degree = ref MemoryMarshal.GetArrayDataReference(layout.DegreeTAt16!);
        int[] targetAt = layout.TargetAt;
        ushort q16 = (ushort)q;
        ushort ring = (ushort)layout.R;
        int end = start + length;
        int p = start;
        int count = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<ushort> vq = Vector512.Create(q16);
            Vector512<ushort> vring = Vector512.Create(ring);
            for (; p <= end - Vector512<ushort>.Count; p += Vector512<ushort>.Count)
            {
                Vector512<ushort> f = Vector512.LoadUnsafe(ref phi, (nuint)p);
                Vector512<ushort> d = (vq - f) + (Vector512.LessThan(vq, f) & vring);
                ulong bits = Vector512.LessThan(d, Vector512.LoadUnsafe(ref degree, (nuint)p)).ExtractMostSignificantBits();
                count = Emit(bits, p, targetAt, destination, count);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<ushort> vq = Vector256.Create(q16);
            Vector256<ushort> vring = Vector256.Create(ring);
            for (; p <= end - Vector256<ushort>.Count; p += Vector256<ushort>.Count)
            {
                Vector256<ushort> f = Vector256.LoadUnsafe(ref phi, (nuint)p);
                Vector256<ushort> d = (vq - f) + (Vector256.LessThan(vq, f) & vring);
                uint bits = Vector256.LessThan(d, Vector256.LoadUnsafe(ref degree, (nuint)p)).ExtractMostSignificantBits();
                count = Emit(bits, p, targetAt, destination, count);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<ushort> vq = Vector128.Create(q16);
            Vector128<ushort> vring = Vector128.Create(ring);
            for (; p <= end - Vector128<ushort>.Count; p += Vector128<ushort>.Count)
            {
                Vector128<ushort> f = Vector128.LoadUnsafe(ref phi, (nuint)p);
                Vector128<ushort> d = (vq - f) + (Vector128.LessThan(vq, f) & vring);
                uint bits = Vector128.LessThan(d, Vector128.LoadUnsafe(ref degree, (nuint)p)).ExtractMostSignificantBits();
                count = Emit(bits, p, targetAt, destination, count);
            }
        }

        for (; p < end; p++)
        {
            int d = q - Unsafe.Add(ref phi, p);
            if (d < 0)
            {
                d += layout.R;
            }

            if (d < Unsafe.Add(ref degree, p))
            {
                destination[count++] = targetAt[p];
            }
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Emit(ulong bits, int p, int[] targetAt, Span<int> destination, int count)
    {
        while (bits != 0)
        {
            destination[count++] = targetAt[p + BitOperations.TrailingZeroCount(bits)];
            bits &= bits - 1;
        }

        return count;
    }

    private int EnumerateLine(int row, int q, int s, Span<int> destination)
    {
        PhaseLayout layout = Layout;
        long[] lineStart = layout.LineStart;
        int[] dealt = layout.DealtTargets;
        int[] piS = layout.PiS;
        int phiS = layout.PhiS[row];
        int ringC = layout.C;
        long totalT = layout.TotalTargetDegree;
        int count = 0;
        int lo = 0;
        for (long x = q; x < totalT; x += layout.R)
        {
            // Largest m with lineStart[m] ≤ x; points only move right, so the search resumes from the last owner.
            int hi = ringC - 1;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) >>> 1;
                if (lineStart[mid] <= x)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            int j = dealt[lo];
            int d = piS[j] - phiS;
            if (d < 0)
            {
                d += ringC;
            }

            if (d < s)
            {
                destination[count++] = j;
            }
        }

        return count;
    }
}
