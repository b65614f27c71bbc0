using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PhaseRouter.Engine;

namespace PhaseRouter.Kernels;

/// <summary>
/// Every candidate pair of a whole routing at once, by one sweep round the C-ring instead of one scan per source.
/// By the closed form, <c>j ∈ Cand_i</c> iff target j's place <c>πS[j]</c> lies on source i's arc of the C-ring and
/// source i's place <c>πT[i]</c> lies on target j's arc of the R-ring. Walking the C-ring position by position, a
/// bitmap over the R-ring marks the places of the sources whose arcs cover the current position (each source enters
/// and leaves once, 2R toggles in all); at target j's position, its candidates are the marked bits inside its own
/// arc: <c>⌈t_j / 64⌉</c> words (an arc that wraps past the end of the ring is read as two ranges), whose marked bits
/// become places by one byte compress per word (AVX-512 VBMI2) or by bit scans. The whole sweep costs
/// O(R + C + Σt/64 + candidates) against the per-source scans' O(Σs/lanes + candidates · log) with a sort per source.
/// <para>The pairs come out grouped by target. Scattering them back, targets in ascending order, writes each source's
/// candidates already ascending (no sort), straight into the compact output when no source has more candidates than
/// its limit; otherwise through a candidate staging area and the same random selection as every other path.</para>
/// </summary>
internal static class CandidateSweep
{
    /// <summary>
    /// Whether the sweep is expected to beat the per-source scans of a whole routing: when its rough word count is the
    /// smaller. (A shard is always routed per source: its sweep would walk the whole R-ring.)
    /// </summary>
    public static bool Pays(int rows, int columns, long sourceDegreeSum, long totalT)
    {
        double candidates = (double)sourceDegreeSum * totalT / ((double)rows * columns);
        double sweep = totalT / 64.0 + 3.0 * rows + 2.0 * columns + 2.0 * candidates;
        double perSource = sourceDegreeSum / 32.0 + 24.0 * rows + 6.0 * candidates;
        return sweep < perSource;
    }

    /// <summary>
    /// Routes every source by uniform random selection (SPEC step 8) into <paramref name="output"/>, bit-identical to
    /// enumerating each source's candidates ascending and calling <see cref="RowSelector.SelectRandom"/>.
    /// </summary>
    /// <param name="layout">A whole routing's layout (<see cref="Pays"/> checked the shape).</param>
    /// <param name="k">The fan-out bound.</param>
    /// <param name="limits">Per-source limits, or null for k each.</param>
    /// <param name="seed">The selection seed.</param>
    /// <param name="output">Receives offsets, targets and loads.</param>
    /// <param name="workspace">Scratch arrays, kept between calls.</param>
    public static void Route(PhaseLayout layout, int k, int[]? limits, ulong seed, CompactOutput output, LayoutWorkspace workspace)
    {
        int rows = layout.R;
        int columns = layout.C;
        int[] piT = layout.PiT;
        int[] perPlace = LayoutWorkspace.Take(ref workspace.SweepPlaceCounts, rows);
        int[] positionStart = LayoutWorkspace.Take(ref workspace.SweepPositionStart, columns + 1);
        int[] targetStart = LayoutWorkspace.Take(ref workspace.SweepTargetStart, columns);
        int[] loads = output.Loads;
        int pairs = Sweep(layout, workspace, positionStart);
        int[] found = workspace.SweepPairs!;
        CountPerPlace(found, pairs, perPlace);

        bool over = false;
        int[] offsets = output.Offsets;
        for (int i = 0; i < rows; i++)
        {
            int limit = limits is null ? k : limits[i];
            int count = perPlace[piT[i]];
            if (count > limit)
            {
                over = true;
                count = limit;
            }

            offsets[i + 1] = count;
        }

        output.AllocateTargets(rows);
        if (!over)
        {
            // Each source takes all its candidates: deal them straight into place; the loads are the pair counts.
            for (int i = 0; i < rows; i++)
            {
                perPlace[piT[i]] = offsets[i];
            }

            Deal(found, positionStart, layout.PiS, perPlace, output.Targets, loads, targetStart);
            return;
        }

        // Some source has more candidates than its limit: stage every candidate list, then select per source.
        int[] candidateOffsets = LayoutWorkspace.Take(ref workspace.SweepCandidateOffsets, rows + 1);
        int total = 0;
        for (int i = 0; i < rows; i++)
        {
            candidateOffsets[i] = total;
            int q = piT[i];
            int count = perPlace[q];
            perPlace[q] = total;
            total += count;
        }

        candidateOffsets[rows] = total;
        int[] candidates = LayoutWorkspace.TakeAtLeast(ref workspace.SweepCandidates, total);
        Deal(found, positionStart, layout.PiS, perPlace, candidates, loads, targetStart);

        int[] targets = output.Targets;
        int first = layout.FirstRow;
        for (int i = 0; i < rows; i++)
        {
            Span<int> list = candidates.AsSpan(candidateOffsets[i], candidateOffsets[i + 1] - candidateOffsets[i]);
            Span<int> slots = targets.AsSpan(offsets[i], offsets[i + 1] - offsets[i]);
            if (list.Length == slots.Length)
            {
                list.CopyTo(slots);
            }
            else
            {
                RowSelector.SelectRandom(list, slots.Length, seed, first + i, slots);
            }
        }

        Array.Clear(loads);
        foreach (int j in targets.AsSpan(0, offsets[rows]))
        {
            loads[j]++;
        }
    }

    /// <summary>
    /// Finds every pair: <c>workspace.SweepPairs[positionStart[p] .. positionStart[p + 1])</c> are the R-ring places
    /// <c>πT[i]</c> of the candidate sources of the target at C-ring position p, in no particular order.
    /// </summary>
    /// <returns>The number of pairs.</returns>
    internal static int Sweep(PhaseLayout layout, LayoutWorkspace workspace, int[] positionStart)
    {
        int rows = layout.R;
        int columns = layout.C;
        int[] s = layout.SourceDegrees;
        int[] phiS = layout.PhiS;
        int[] piT = layout.PiT;

        // The places where a source enters or leaves the covering set, bucketed by C-ring position (counting sort).
        // A source of degree 0 never covers, one of degree C always does: neither has events.
        int[] eventStart = LayoutWorkspace.Take(ref workspace.SweepEventStart, columns + 2);
        Array.Clear(eventStart);
        long sourceDegrees = 0;
        for (int i = 0; i < rows; i++)
        {
            int degree = s[i];
            sourceDegrees += degree;
            if (degree > 0 && degree < columns)
            {
                int enter = phiS[i];
                int leave = enter + degree;
                if (leave >= columns)
                {
                    leave -= columns;
                }

                eventStart[enter + 2]++;
                eventStart[leave + 2]++;
            }
        }

        for (int p = 2; p < columns + 2; p++)
        {
            eventStart[p] += eventStart[p - 1];
        }

        int eventCount = eventStart[columns + 1];
        int[] events = LayoutWorkspace.TakeAtLeast(ref workspace.SweepEvents, eventCount + EventsPerStep);
        events.AsSpan(eventCount, EventsPerStep).Clear(); // read, never applied, by the last position's fixed step
        ulong[] active = LayoutWorkspace.Take(ref workspace.SweepActive, (rows + 63) >> 6);
        Array.Clear(active);
        for (int i = 0; i < rows; i++)
        {
            int degree = s[i];
            int q = piT[i];
            if (degree > 0 && degree < columns)
            {
                int enter = phiS[i];
                int leave = enter + degree;
                if (leave >= columns)
                {
                    leave -= columns;
                }

                events[eventStart[enter + 1]++] = q;
                events[eventStart[leave + 1]++] = q;

                // Covering position 0 at the start: the arc starts there or wraps past the end of the ring.
                if (enter == 0 || enter + degree > columns)
                {
                    active[q >> 6] |= 1UL << q;
                }
            }
            else if (degree == columns)
            {
                active[q >> 6] |= 1UL << q;
            }
        }


        // Bucket p is now events[eventStart[p] .. eventStart[p + 1]). Σs / C sources cover each position, so a word
        // holds 64 · Σs / (C · R) marked bits on average: where bit scans read it, a dense bitmap is read eight bits per
        // step and a sparse one four.
        long expected = (long)(layout.TotalTargetDegree * (double)sourceDegrees / ((double)rows * columns)) + 64;
        LayoutWorkspace.TakeAtLeast(ref workspace.SweepPairs, (int)Math.Min(Array.MaxLength, expected + expected / 4));
        var positions = new Positions(eventStart, events, layout.PhiTByPosition, layout.DegreeTByPosition, positionStart, rows, columns);
        if (Avx512Vbmi2.IsSupported && Avx512Vbmi.IsSupported)
        {
            return Walk<Compressed>(active, positions, workspace);
        }

        return sourceDegrees * 32.0 > (double)columns * rows
            ? Walk<EightBits>(active, positions, workspace)
            : Walk<FourBits>(active, positions, workspace);
    }

    /// <summary>What the walk round the C-ring reads and writes.</summary>
    private readonly ref struct Positions(int[] eventStart, int[] events, int[] phiT, int[] t, int[] positionStart, int rows, int columns)
    {
        public readonly int[] EventStart = eventStart;
        public readonly int[] Events = events;
        public readonly int[] PhiT = phiT;
        public readonly int[] T = t;
        public readonly int[] PositionStart = positionStart;
        public readonly int Rows = rows;
        public readonly int Columns = columns;
    }

    /// <summary>How <see cref="Emit{TWidth}"/> writes a word's places without a branch per bit.</summary>
    private interface IEmitWidth
    {
        /// <summary>Eight bit scans per word instead of four.</summary>
        static abstract bool Wide { get; }

        /// <summary>One byte compress of the word's bit indices (AVX-512 VBMI2) instead of bit scans.</summary>
        static abstract bool Compress { get; }
    }

    private readonly struct FourBits : IEmitWidth
    {
        public static bool Wide => false;

        public static bool Compress => false;
    }

    private readonly struct EightBits : IEmitWidth
    {
        public static bool Wide => true;

        public static bool Compress => false;
    }

    private readonly struct Compressed : IEmitWidth
    {
        public static bool Wide => false;

        public static bool Compress => true;
    }

    /// <summary>
    /// The walk: at each position, apply its events (toggling the places of the sources that enter or leave), then
    /// collect the marked places on the arc of the target sitting there. A separate small method (specialised per width) keeps the loop's
    /// state in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Walk<TWidth>(ulong[] active, Positions w, LayoutWorkspace workspace)
        where TWidth : struct, IEmitWidth
    {
        int rows = w.Rows;
        int[] eventStart = w.EventStart;
        int[] events = w.Events;
        int[] found = workspace.SweepPairs!;
        ref ulong bitmap = ref MemoryMarshal.GetArrayDataReference(active);
        int n = 0;
        for (int p = 0; p < w.Columns; p++)
        {
            if (p > 0)
            {
                // A fixed step of toggles, each masked off past the bucket's end (no branch on the bucket's size, whose
                // unpredictable loop exits cost more than the masked toggles); a longer bucket finishes in a loop.
                int e = eventStart[p];
                int end = eventStart[p + 1];
                // Written out: the JIT keeps a loop of constant length as a loop.
                ref int bucket = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(events), e);
                Toggle(ref bitmap, bucket, Below(e, end));
                Toggle(ref bitmap, Unsafe.Add(ref bucket, 1), Below(e + 1, end));
                Toggle(ref bitmap, Unsafe.Add(ref bucket, 2), Below(e + 2, end));
                Toggle(ref bitmap, Unsafe.Add(ref bucket, 3), Below(e + 3, end));
                for (e += EventsPerStep; e < end; e++)
                {
                    Toggle(ref bitmap, events[e], ~0UL);
                }
            }

            int degree = w.T[p];
            w.PositionStart[p] = n;
            if (found.Length - n < degree + Slack)
            {
                found = Grow(ref workspace.SweepPairs, n, degree + Slack);
            }

            if (degree > 0)
            {
                int from = w.PhiT[p];
                int to = from + degree;
                ref int places = ref MemoryMarshal.GetArrayDataReference(found);
                if (to <= rows)
                {
                    n = Collect<TWidth>(ref bitmap, from, to, ref places, n);
                }
                else
                {
                    // The arc wraps past the end of the ring (rare: t_j / R of the arcs).
                    n = Collect<TWidth>(ref bitmap, from, rows, ref places, n);
                    n = Collect<TWidth>(ref bitmap, 0, to - rows, ref places, n);
                }
            }
        }

        w.PositionStart[w.Columns] = n;
        return n;
    }

    /// <summary>Toggles place q where <paramref name="on"/> is all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Toggle(ref ulong bitmap, int q, ulong on) => Unsafe.Add(ref bitmap, q >> 6) ^= (1UL << q) & on;

    /// <summary>All ones when <c>index &lt; end</c>, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Below(int index, int end) => (ulong)((long)(index - end) >> 63);

    /// <summary>Events applied per position without a branch (2R events over C positions: two each for a square shape).</summary>
    private const int EventsPerStep = 4;

    /// <summary>Room past the last pair that <see cref="Collect"/> may scribble on.</summary>
    private const int Slack = 64;

    /// <summary>
    /// Appends the marked places in <c>[from, to)</c> (<c>from &lt; to ≤ R</c>): the first word and the last are
    /// masked to the range, the words between are read whole, so that the only unpredictable branch per arc is the end
    /// of its loop. Writes up to <see cref="Slack"/> entries past the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Collect<TWidth>(ref ulong bitmap, int from, int to, ref int places, int n)
        where TWidth : struct, IEmitWidth
    {
        int word = from >> 6;
        int last = (to - 1) >> 6;
        ulong first = Unsafe.Add(ref bitmap, word) & (~0UL << from);
        ulong lastMask = ~0UL >> (63 - ((to - 1) & 63));
        if (word == last)
        {
            return Emit<TWidth>(first & lastMask, word << 6, ref places, n);
        }

        n = Emit<TWidth>(first, word << 6, ref places, n);
        for (word++; word < last; word++)
        {
            n = Emit<TWidth>(Unsafe.Add(ref bitmap, word), word << 6, ref places, n);
        }

        return Emit<TWidth>(Unsafe.Add(ref bitmap, last) & lastMask, last << 6, ref places, n);
    }

    /// <summary>
    /// Appends the places of one word's marked bits (<paramref name="b"/> + bit). The bits are written a fixed four (or
    /// eight) at a time without a branch per bit, and the count advances by the word's popcount, because the bit
    /// loop's unpredictable exits cost more than the few extra stores; a word with more bits than that (rare at the
    /// densities the choice is made for) finishes in a loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Emit<TWidth>(ulong bits, int b, ref int places, int n)
        where TWidth : struct, IEmitWidth
    {
        if (TWidth.Compress)
        {
            return EmitCompressed(bits, b, ref places, n);
        }

        int count = BitOperations.PopCount(bits);
        ref int d = ref Unsafe.Add(ref places, n);

        // Written out, not as a loop of constant length: the loop measured 10–20 % slower at N = 4096 and 16384.
        d = b + BitOperations.TrailingZeroCount(bits);
        bits &= bits - 1;
        Unsafe.Add(ref d, 1) = b + BitOperations.TrailingZeroCount(bits);
        bits &= bits - 1;
        Unsafe.Add(ref d, 2) = b + BitOperations.TrailingZeroCount(bits);
        bits &= bits - 1;
        Unsafe.Add(ref d, 3) = b + BitOperations.TrailingZeroCount(bits);
        bits &= bits - 1;
        if (TWidth.Wide)
        {
            Unsafe.Add(ref d, 4) = b + BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
            Unsafe.Add(ref d, 5) = b + BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
            Unsafe.Add(ref d, 6) = b + BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
            Unsafe.Add(ref d, 7) = b + BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
        }

        if (bits != 0)
        {
            ref int rest = ref Unsafe.Add(ref d, TWidth.Wide ? 8 : 4);
            do
            {
                rest = b + BitOperations.TrailingZeroCount(bits);
                rest = ref Unsafe.Add(ref rest, 1);
                bits &= bits - 1;
            }
            while (bits != 0);
        }

        return n + count;
    }

    /// <summary>
    /// <see cref="Emit{TWidth}"/> by vector: each of the word's 64 bits spread to a byte, the indices of the set ones
    /// compressed to the front (VPCOMPRESSB), the first sixteen widened to places and stored at once; a word with
    /// more marked bits stores the rest sixteen at a time. No branch per bit or per four bits, and one store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EmitCompressed(ulong bits, int b, ref int places, int n)
    {
        int count = BitOperations.PopCount(bits);
        Vector512<byte> spread = Avx512Vbmi.PermuteVar64x8(Vector512.Create(bits).AsByte(), ByteOfBit) & BitInByte;
        Vector512<byte> set = ~Vector512.Equals(spread, Vector512<byte>.Zero);
        Vector512<byte> indices = Avx512Vbmi2.Compress(Vector512<byte>.Zero, set, BitIndex);
        Vector512<int> at = Vector512.Create(b);
        ref int d = ref Unsafe.Add(ref places, n);
        (Avx512F.ConvertToVector512Int32(indices.GetLower().GetLower()) + at).StoreUnsafe(ref d);
        if (count > 16)
        {
            (Avx512F.ConvertToVector512Int32(indices.GetLower().GetUpper()) + at).StoreUnsafe(ref d, 16);
            (Avx512F.ConvertToVector512Int32(indices.GetUpper().GetLower()) + at).StoreUnsafe(ref d, 32);
            (Avx512F.ConvertToVector512Int32(indices.GetUpper().GetUpper()) + at).StoreUnsafe(ref d, 48);
        }

        return n + count;
    }

    /// <summary>Byte k: the index of the word's byte that holds bit k.</summary>
    private static readonly Vector512<byte> ByteOfBit = Vector512.Create(
        (byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
        4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7);

    /// <summary>Byte k: bit k's mask within its byte.</summary>
    private static readonly Vector512<byte> BitInByte = Vector512.Create(
        (byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128,
        1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);

    /// <summary>Byte k: k.</summary>
    private static readonly Vector512<byte> BitIndex = Vector512.Create(
        (byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
        32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63);

    /// <summary>Counts how many pairs name each place (that is, each source's candidate count, by place).</summary>
    private static void CountPerPlace(int[] found, int pairs, int[] perPlace)
    {
        Array.Clear(perPlace);
        ref int count = ref MemoryMarshal.GetArrayDataReference(perPlace);
        foreach (int place in found.AsSpan(0, pairs))
        {
            Unsafe.Add(ref count, place)++;
        }
    }

    /// <summary>
    /// Writes target j into the next slot of each of its sources, targets in ascending order, so that every source's
    /// list comes out ascending; <paramref name="pairCounts"/>[j] receives target j's number of pairs.
    /// <paramref name="cursor"/>[πT[i]] starts at source i's first slot.
    /// </summary>
    private static void Deal(int[] found, int[] positionStart, int[] piS, int[] cursor, int[] destination, int[] pairCounts,
        int[] targetStart)
    {
        // First every target's group, in target order: a pass of independent loads. The dealing loop then reads its
        // group bounds in order, so that the next groups' reads start while a group is being written (measured: the
        // deal 20 % faster at N = 16384, where a group holds four pairs).
        for (int j = 0; j < pairCounts.Length; j++)
        {
            int p = piS[j];
            int from = positionStart[p];
            targetStart[j] = from;
            pairCounts[j] = positionStart[p + 1] - from;
        }

        ref int places = ref MemoryMarshal.GetArrayDataReference(found);
        ref int next = ref MemoryMarshal.GetArrayDataReference(cursor);
        ref int slots = ref MemoryMarshal.GetArrayDataReference(destination);
        for (int j = 0; j < pairCounts.Length; j++)
        {
            int from = targetStart[j];
            int to = from + pairCounts[j];
            for (int e = from; e < to; e++)
            {
                Unsafe.Add(ref slots, Unsafe.Add(ref next, Unsafe.Add(ref places, e))++) = j;
            }
        }
    }

    private static int[] Grow(ref int[]? slot, int used, int needed)
    {
        int[] old = slot!;
        long size = Math.Min(Array.MaxLength, Math.Max((long)used + needed, 2L * old.Length));
        if (size < (long)used + needed)
        {
            throw new ArgumentException(
                $"The routes of these sources exceed the largest array ({Array.MaxLength}); route them in shards (Router.RouteShard).");
        }

        int[] larger = GC.AllocateUninitializedArray<int>((int)size);
        old.AsSpan(0, used).CopyTo(larger);
        slot = larger;
        return larger;
    }
}
