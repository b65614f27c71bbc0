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
/// bitmap over the R-ring marks the places of the sources whose arcs cover the current position. The source arcs tile
/// the ring, so where one arc ends the next begins: each of the R + 1 arc boundaries toggles two places (the source
/// that leaves and the one that enters), 2R toggles in all. At target j's position, its candidates are the marked bits
/// inside its own arc: <c>⌈t_j / 64⌉</c> words (an arc that wraps past the end of the ring is read as two ranges),
/// whose marked bits become places by one byte compress per word or per eight words (AVX-512 VBMI2) or by bit scans.
/// The whole sweep costs O(R + C + Σt/64 + candidates) against the per-source scans' O(Σs/lanes + candidates · log)
/// with a sort per source.
/// <para>The pairs come out grouped by target. Dealing them back, targets in ascending order, writes each source's
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
    public static void Route(PhaseLayout layout, int k, int[]? limits, ulong seed, CompactOutput output, LayoutWorkspace workspace) =>
        Route(layout, k, limits, seed, output, workspace, Emission.Auto);

    /// <summary>
    /// <see cref="Route(PhaseLayout, int, int[], ulong, CompactOutput, LayoutWorkspace)"/> with the walk's emission named
    /// (tests run every emission on shapes where the automatic choice would take only one).
    /// </summary>
    internal static void Route(PhaseLayout layout, int k, int[]? limits, ulong seed, CompactOutput output, LayoutWorkspace workspace,
        Emission emission)
    {
        int rows = layout.R;
        int columns = layout.C;
        int[] piT = layout.PiT;
        int[] perPlace = LayoutWorkspace.Take(ref workspace.SweepPlaceCounts, rows);
        int[] positionStart = LayoutWorkspace.Take(ref workspace.SweepPositionStart, columns + 1);
        int[] loads = output.Loads;
        int pairs = Sweep(layout, workspace, positionStart, emission);
        int[] found = workspace.SweepPairs!;
        CountPerPlace(found, pairs, perPlace);

        // Each source's offset, and in the same pass its place's count becomes its dealing cursor (the offset), which
        // is right when every source takes all its candidates (the usual case).
        bool over = false;
        int[] offsets = output.Offsets;
        ref int counts = ref MemoryMarshal.GetArrayDataReference(perPlace);
        ref int places = ref MemoryMarshal.GetArrayDataReference(piT);
        long routes = 0;
        for (int i = 0; i < rows; i++)
        {
            int limit = limits is null ? k : limits[i];
            ref int place = ref Unsafe.Add(ref counts, Unsafe.Add(ref places, i));
            int count = place;
            if (count > limit)
            {
                over = true;
                count = limit;
            }

            offsets[i] = (int)routes;
            place = (int)routes;
            routes += count;
        }

        output.AllocateTargets(rows, routes);
        if (!over)
        {
            // Each source takes all its candidates: deal them straight into place; the loads are the pair counts.
            Deal(found, pairs, positionStart, layout.PiS, perPlace, output.Targets, loads, workspace);
            return;
        }

        // Some source has more candidates than its limit: stage every candidate list, then select per source.
        CountPerPlace(found, pairs, perPlace);
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
        Deal(found, pairs, positionStart, layout.PiS, perPlace, candidates, loads, workspace);

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

    /// <summary>How the walk turns marked bits into places (<see cref="Emission.Auto"/>: by the machine, the density and the arcs' length).</summary>
    internal enum Emission
    {
        Auto,

        /// <summary>Eight words at a time: their nonzero bytes compressed, then each byte's bits (AVX-512 VBMI2 and CD).</summary>
        Blocks,

        /// <summary>A word at a time by one byte compress of its bit indices (AVX-512 VBMI2).</summary>
        Compressed,

        /// <summary>A word at a time by eight unrolled bit scans.</summary>
        EightBits,

        /// <summary>A word at a time by four unrolled bit scans.</summary>
        FourBits,
    }

    /// <summary>Whether <paramref name="emission"/> runs on this machine.</summary>
    internal static bool IsSupported(Emission emission) => emission switch
    {
        Emission.Blocks => Avx512Vbmi2.IsSupported && Avx512Vbmi.IsSupported && Avx512CD.IsSupported,
        Emission.Compressed => Avx512Vbmi2.IsSupported && Avx512Vbmi.IsSupported,
        _ => true,
    };

    /// <summary>
    /// Finds every pair: <c>workspace.SweepPairs[positionStart[p] .. positionStart[p + 1])</c> are the R-ring places
    /// <c>πT[i]</c> of the candidate sources of the target at C-ring position p, in no particular order.
    /// </summary>
    /// <returns>The number of pairs.</returns>
    internal static int Sweep(PhaseLayout layout, LayoutWorkspace workspace, int[] positionStart, Emission emission = Emission.Auto)
    {
        int rows = layout.R;
        int columns = layout.C;

        // Boundary m (0 ≤ m ≤ R) of the dealt arcs sits at (s_0 + … + s_{m−1}) mod C, sources taken in dealing order
        // (ρS): there the (m−1)-th dealt source leaves the covering set and the m-th enters. One event per boundary,
        // bucketed by position (counting sort), toggles both places; a first or last boundary names the unused place R
        // for its missing side (a bit past the ring, never read). A source of degree 0 enters and leaves at the same
        // position, one of degree C leaves and re-enters there: both net toggles cancel, so each keeps its state at
        // position 0 (never covering, always covering).
        int[] eventStart = LayoutWorkspace.Take(ref workspace.SweepEventStart, columns + 2);
        Array.Clear(eventStart);
        long sourceDegrees = CountBoundaries(layout, eventStart);
        // The running sum in a register: reading it back from the previous entry made every step wait on the last store.
        int running = 0;
        foreach (ref int start in eventStart.AsSpan(2, columns))
        {
            running += start;
            start = running;
        }

        int eventCount = eventStart[columns + 1];
        ulong[] events = LayoutWorkspace.TakeAtLeast(ref workspace.SweepEvents, eventCount + BoundariesPerStep);
        events.AsSpan(eventCount, BoundariesPerStep).Clear(); // read, never applied, by the last position's fixed step
        ulong[] active = LayoutWorkspace.Take(ref workspace.SweepActive, ((rows + 64) >> 6) + BlockWords);
        Array.Clear(active);
        PlaceBoundaries(layout, eventStart, events, active);

        // Bucket p is now events[eventStart[p] .. eventStart[p + 1]). Σs / C sources cover each position, so a word
        // holds 64 · Σs / (C · R) marked bits on average: a sparse bitmap (1.5 bits a word or fewer) under long arcs is
        // read eight words at a time; where bit scans read it, a dense one is read eight bits per step and a sparse one four.
        long expected = (long)(layout.TotalTargetDegree * (double)sourceDegrees / ((double)rows * columns)) + 64;
        LayoutWorkspace.TakeAtLeast(ref workspace.SweepPairs, (int)Math.Min(Array.MaxLength, expected + expected / 4));
        double bitsPerWord = 64.0 * sourceDegrees / ((double)columns * rows);
        double averageArc = layout.TotalTargetDegree / (double)columns;
        if (emission == Emission.Auto)
        {
            // Measured at N = 16384: blocks 7–11 % faster at one marked bit a word and arcs of 256 places on average
            // (k = 512); word by word 8–15 % faster at half a bit and arcs of 128 or fewer (k ≤ 256), and at two bits
            // a word (k = 1024; N = 8192, k = 512): a block costs about what three or four words do.
            emission = IsSupported(Emission.Blocks) && bitsPerWord <= 1.5 && averageArc >= 192 ? Emission.Blocks
                : IsSupported(Emission.Compressed) ? Emission.Compressed
                : bitsPerWord > 2.0 ? Emission.EightBits
                : Emission.FourBits;
        }

        var positions = new Positions(eventStart, events, layout.TargetArcByPosition, positionStart, rows, columns);
        return emission switch
        {
            Emission.Blocks => Walk<Blocks>(active, positions, workspace),
            Emission.Compressed => Walk<Compressed>(active, positions, workspace),
            Emission.EightBits => Walk<EightBits>(active, positions, workspace),
            _ => Walk<FourBits>(active, positions, workspace),
        };
    }

    /// <summary>Counts the boundaries at each position into <c>eventStart[p + 2]</c>.</summary>
    /// <returns>Σs.</returns>
    private static long CountBoundaries(PhaseLayout layout, int[] eventStart)
    {
        int rows = layout.R;
        int columns = layout.C;
        int[] s = layout.SourceDegrees;
        int[]? order = layout.SourceOrder;
        ref int count = ref MemoryMarshal.GetArrayDataReference(eventStart);
        ref int degrees = ref MemoryMarshal.GetArrayDataReference(s);
        long sum = 0;
        int at = 0;
        for (int m = 0; m < rows; m++)
        {
            Unsafe.Add(ref count, at + 2)++;
            int degree = Unsafe.Add(ref degrees, order is null ? m : order[m]);
            sum += degree;
            at += degree;
            if (at >= columns)
            {
                at -= columns;
            }
        }

        Unsafe.Add(ref count, at + 2)++;
        return sum;
    }

    /// <summary>
    /// Writes each boundary's two places (low half: the source leaving, high half: the one entering) into its bucket,
    /// and marks in <paramref name="active"/> the sources that cover position 0, whose boundaries the walk skips.
    /// </summary>
    private static void PlaceBoundaries(PhaseLayout layout, int[] eventStart, ulong[] events, ulong[] active)
    {
        int rows = layout.R;
        int columns = layout.C;
        int[] s = layout.SourceDegrees;
        int[] piT = layout.PiT;
        int[]? order = layout.SourceOrder;
        ref int next = ref MemoryMarshal.GetArrayDataReference(eventStart);
        ref ulong bucket = ref MemoryMarshal.GetArrayDataReference(events);
        ref ulong bitmap = ref MemoryMarshal.GetArrayDataReference(active);
        ref int degrees = ref MemoryMarshal.GetArrayDataReference(s);
        ref int places = ref MemoryMarshal.GetArrayDataReference(piT);
        uint leaving = (uint)rows;
        int at = 0;
        for (int m = 0; m < rows; m++)
        {
            int i = order is null ? m : order[m];
            int q = Unsafe.Add(ref places, i);
            int degree = Unsafe.Add(ref degrees, i);
            Unsafe.Add(ref bucket, Unsafe.Add(ref next, at + 1)++) = leaving | ((ulong)(uint)q << 32);
            leaving = (uint)q;

            // Covering position 0: the arc starts there or runs past the end of the ring.
            if (degree > 0 && (at == 0 || at + degree > columns))
            {
                Unsafe.Add(ref bitmap, q >> 6) |= 1UL << q;
            }

            at += degree;
            if (at >= columns)
            {
                at -= columns;
            }
        }

        Unsafe.Add(ref bucket, Unsafe.Add(ref next, at + 1)++) = leaving | ((ulong)(uint)rows << 32);
    }

    /// <summary>What the walk round the C-ring reads and writes.</summary>
    private readonly ref struct Positions(int[] eventStart, ulong[] events, ulong[] arcs, int[] positionStart, int rows, int columns)
    {
        public readonly int[] EventStart = eventStart;
        public readonly ulong[] Events = events;
        public readonly ulong[] Arcs = arcs;
        public readonly int[] PositionStart = positionStart;
        public readonly int Rows = rows;
        public readonly int Columns = columns;
    }

    /// <summary>The emission a specialisation of the walk runs (a constant the JIT folds, so each walk keeps one path).</summary>
    private interface IEmitWidth
    {
        static abstract Emission Kind { get; }
    }

    private readonly struct FourBits : IEmitWidth
    {
        public static Emission Kind => Emission.FourBits;
    }

    private readonly struct EightBits : IEmitWidth
    {
        public static Emission Kind => Emission.EightBits;
    }

    private readonly struct Compressed : IEmitWidth
    {
        public static Emission Kind => Emission.Compressed;
    }

    private readonly struct Blocks : IEmitWidth
    {
        public static Emission Kind => Emission.Blocks;
    }

    /// <summary>
    /// The walk: at each position, apply its boundaries (toggling the places of the sources that leave and enter), then
    /// collect the marked places on the arc of the target sitting there. A separate small method (specialised per width)
    /// keeps the loop's state in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Walk<TWidth>(ulong[] active, Positions w, LayoutWorkspace workspace)
        where TWidth : struct, IEmitWidth
    {
        int rows = w.Rows;
        int[] found = workspace.SweepPairs!;
        ref ulong bitmap = ref MemoryMarshal.GetArrayDataReference(active);
        ref int eventStart = ref MemoryMarshal.GetArrayDataReference(w.EventStart);
        ref ulong events = ref MemoryMarshal.GetArrayDataReference(w.Events);
        ref ulong arcs = ref MemoryMarshal.GetArrayDataReference(w.Arcs);
        ref int positionStart = ref MemoryMarshal.GetArrayDataReference(w.PositionStart);
        int n = 0;
        int e = Unsafe.Add(ref eventStart, 1); // position 0's boundaries are in the starting bitmap
        for (int p = 0; p < w.Columns; p++)
        {
            if (p > 0)
            {
                // A fixed step of two boundaries, each masked off past the bucket's end (no branch on the bucket's size,
                // whose unpredictable loop exits cost more than the masked toggles); a longer bucket finishes in a loop.
                int end = Unsafe.Add(ref eventStart, p + 1);
                ref ulong bucket = ref Unsafe.Add(ref events, e);
                Toggle(ref bitmap, bucket, Below(e, end));
                Toggle(ref bitmap, Unsafe.Add(ref bucket, 1), Below(e + 1, end));
                for (e += BoundariesPerStep; e < end; e++)
                {
                    Toggle(ref bitmap, Unsafe.Add(ref events, e), ~0UL);
                }

                e = end;
            }

            ulong arc = Unsafe.Add(ref arcs, p);
            int degree = (int)(arc >> 32);
            Unsafe.Add(ref positionStart, p) = n;
            if (found.Length - n < degree + Slack)
            {
                found = Grow(ref workspace.SweepPairs, n, degree + Slack);
            }

            if (degree > 0)
            {
                int from = (int)(uint)arc;
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

        Unsafe.Add(ref positionStart, w.Columns) = n;
        return n;
    }

    /// <summary>Toggles both places of a boundary (low and high half) where <paramref name="on"/> is all ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Toggle(ref ulong bitmap, ulong boundary, ulong on)
    {
        int leaving = (int)(uint)boundary;
        int entering = (int)(boundary >> 32);
        Unsafe.Add(ref bitmap, leaving >> 6) ^= (1UL << leaving) & on;
        Unsafe.Add(ref bitmap, entering >> 6) ^= (1UL << entering) & on;
    }

    /// <summary>All ones when <c>index &lt; end</c>, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Below(int index, int end) => (ulong)((long)(index - end) >> 63);

    /// <summary>Boundaries applied per position without a branch (R + 1 boundaries over C positions: about one each for a square shape).</summary>
    private const int BoundariesPerStep = 2;

    /// <summary>Words of the bitmap past the ring: the place R and the over-read of an eight-word block.</summary>
    private const int BlockWords = 8;

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
        if (TWidth.Kind == Emission.Blocks)
        {
            return CollectBlocks(ref bitmap, from, to, ref places, n);
        }

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
        if (TWidth.Kind == Emission.Compressed)
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
        if (TWidth.Kind == Emission.EightBits)
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
            ref int rest = ref Unsafe.Add(ref d, TWidth.Kind == Emission.EightBits ? 8 : 4);
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

    /// <summary>
    /// <see cref="Collect{TWidth}"/> eight words at a time: each block of eight words from the arc's first is masked to
    /// <c>[from, to)</c> lane by lane (variable shifts, which give zero for counts of 64 and more) and emitted at once,
    /// so an arc of at most 449 places (and most up to 512) is one block, with no loop over its words. Reads up to
    /// seven words past the ring (<see cref="BlockWords"/>), masked off.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CollectBlocks(ref ulong bitmap, int from, int to, ref int places, int n)
    {
        int word = from >> 6;
        int last = (to - 1) >> 6;
        do
        {
            int b = word << 6;
            Vector512<long> below = Vector512.Max(Vector512.Create((long)(from - b)) - LaneBase, Vector512<long>.Zero);
            Vector512<long> upTo = Vector512.Max(Vector512.Create((long)(to - b)) - LaneBase, Vector512<long>.Zero);
            Vector512<ulong> mask = Avx512F.ShiftLeftLogicalVariable(Vector512<ulong>.AllBitsSet, below.AsUInt64())
                & ~Avx512F.ShiftLeftLogicalVariable(Vector512<ulong>.AllBitsSet, upTo.AsUInt64());
            n = EmitBlock((Vector512.LoadUnsafe(ref bitmap, (nuint)word) & mask).AsByte(), b, ref places, n);
            word += 8;
        }
        while (word <= last);

        return n;
    }

    /// <summary>
    /// Appends the places of a block's marked bits (<paramref name="b"/> + bit): its nonzero bytes and their indices
    /// compressed to the front (VPCOMPRESSB), sixteen at a time widened to 32-bit lanes, where each byte's lowest bit
    /// comes from a leading-zero count of <c>v &amp; −v</c>. At two marked bits a word or fewer, a byte rarely holds two:
    /// the second bits of such bytes take one more compressed round, the third another. Stores up to sixteen lanes past
    /// the places.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EmitBlock(Vector512<byte> block, int b, ref int places, int n)
    {
        Vector512<byte> nonzero = ~Vector512.Equals(block, Vector512<byte>.Zero);
        int bytes = BitOperations.PopCount(nonzero.ExtractMostSignificantBits());
        Vector512<byte> values = Avx512Vbmi2.Compress(Vector512<byte>.Zero, nonzero, block);
        Vector512<byte> indices = Avx512Vbmi2.Compress(Vector512<byte>.Zero, nonzero, BitIndex);
        Vector512<int> at = Vector512.Create(b);
        Vector512<int> top = Vector512.Create(31);
        while (true)
        {
            Vector512<int> v = Avx512F.ConvertToVector512Int32(values.GetLower().GetLower());
            Vector512<int> byteStart = (Avx512F.ConvertToVector512Int32(indices.GetLower().GetLower()) << 3) + at;
            (byteStart + top - Avx512CD.LeadingZeroCount(v & -v)).StoreUnsafe(ref places, (nuint)n);
            n += Math.Min(bytes, 16);
            v &= v - Vector512<int>.One;

            // A branch, though a third of the blocks take it at one marked bit a word: measured 10 % faster per call
            // than an unconditional compressed round.
            while (v != Vector512<int>.Zero)
            {
                Vector512<int> more = ~Vector512.Equals(v, Vector512<int>.Zero);
                Vector512<int> place = byteStart + top - Avx512CD.LeadingZeroCount(v & -v);
                Avx512F.Compress(Vector512<int>.Zero, more, place).StoreUnsafe(ref places, (nuint)n);
                n += BitOperations.PopCount(more.ExtractMostSignificantBits());
                v &= v - Vector512<int>.One;
            }

            if (bytes <= 16)
            {
                return n;
            }

            // More than sixteen nonzero bytes (rare at this density): the next sixteen to the front.
            bytes -= 16;
            values = Avx512Vbmi.PermuteVar64x8(values, NextSixteen);
            indices = Avx512Vbmi.PermuteVar64x8(indices, NextSixteen);
        }
    }

    /// <summary>Lane l: 64·l, the first place of word l of a block.</summary>
    private static readonly Vector512<long> LaneBase = Vector512.Create(0L, 64, 128, 192, 256, 320, 384, 448);

    /// <summary>Byte k: byte k + 16 (the last sixteen: zero, never read).</summary>
    private static readonly Vector512<byte> NextSixteen = Vector512.Create(
        (byte)16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
        48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

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
    /// <paramref name="cursor"/>[πT[i]] starts at source i's first slot. With a quarter of a pair per target or more,
    /// the groups are first copied into target order beside their targets' numbers, then one flat loop deals every
    /// pair: dealing group by group ends a loop at an unpredictable count for every target (measured 6–20 % slower per
    /// call at N = 1024 to 16384, k = 512, and 15 % at N = 16384, k = 256, one pair per target). Sparser, most groups
    /// are empty: a copy per target costs more than the loops it saves (10 % at N = 16384, k = 64).
    /// </summary>
    private static void Deal(int[] found, int pairs, int[] positionStart, int[] piS, int[] cursor, int[] destination, int[] pairCounts,
        LayoutWorkspace workspace)
    {
        int columns = pairCounts.Length;
        ref int next = ref MemoryMarshal.GetArrayDataReference(cursor);
        ref int slots = ref MemoryMarshal.GetArrayDataReference(destination);
        ref int groups = ref MemoryMarshal.GetArrayDataReference(found);
        if (4L * pairs >= columns)
        {
            // A group is copied a whole vector at a time, up to one vector past its end (found has that much slack).
            int[] places = LayoutWorkspace.TakeAtLeast(ref workspace.SweepFlatPlaces, pairs + Vector512<int>.Count);
            int[] owners = LayoutWorkspace.TakeAtLeast(ref workspace.SweepFlatTargets, pairs + Vector512<int>.Count);
            ref int flatPlace = ref MemoryMarshal.GetArrayDataReference(places);
            ref int flatOwner = ref MemoryMarshal.GetArrayDataReference(owners);
            int n = 0;
            for (int j = 0; j < columns; j++)
            {
                int p = piS[j];
                int from = positionStart[p];
                int count = positionStart[p + 1] - from;
                pairCounts[j] = count;
                CopyGroup(ref Unsafe.Add(ref groups, from), ref Unsafe.Add(ref flatPlace, n), ref Unsafe.Add(ref flatOwner, n), j, count);
                n += count;
            }

            DealFlat(ref flatPlace, ref flatOwner, ref next, ref slots, n);
            return;
        }

        // Every target's group bounds first, in target order: a pass of independent loads, so that the dealing loop
        // reads them in order.
        int[] targetStart = LayoutWorkspace.Take(ref workspace.SweepTargetStart, columns);
        for (int j = 0; j < columns; j++)
        {
            int p = piS[j];
            int from = positionStart[p];
            targetStart[j] = from;
            pairCounts[j] = positionStart[p + 1] - from;
        }

        for (int j = 0; j < columns; j++)
        {
            int from = targetStart[j];
            int to = from + pairCounts[j];
            for (int e = from; e < to; e++)
            {
                Unsafe.Add(ref slots, Unsafe.Add(ref next, Unsafe.Add(ref groups, e))++) = j;
            }
        }
    }

    /// <summary>
    /// The flat dealing loop: pair e goes to the next slot of the source at place <c>places[e]</c>. A method of its own,
    /// so that its five references stay in registers (inside <see cref="Deal"/> two were reloaded from the stack at
    /// every pair: measured 3 % of the call at N = 16384).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DealFlat(ref int places, ref int targets, ref int cursor, ref int slots, int pairs)
    {
        for (nint e = 0; e < pairs; e++)
        {
            Unsafe.Add(ref slots, Unsafe.Add(ref cursor, Unsafe.Add(ref places, e))++) = Unsafe.Add(ref targets, e);
        }
    }

    /// <summary>
    /// Copies a group of <paramref name="count"/> places and writes <paramref name="target"/> beside each, a whole
    /// vector at a time (one vector for most groups: no loop exit to mispredict), writing up to a vector past the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyGroup(ref int source, ref int places, ref int owners, int target, int count)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var owner = Vector512.Create(target);
            int c = 0;
            do
            {
                Vector512.LoadUnsafe(ref source, (nuint)c).StoreUnsafe(ref places, (nuint)c);
                owner.StoreUnsafe(ref owners, (nuint)c);
                c += Vector512<int>.Count;
            }
            while (c < count);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var owner = Vector256.Create(target);
            int c = 0;
            do
            {
                Vector256.LoadUnsafe(ref source, (nuint)c).StoreUnsafe(ref places, (nuint)c);
                owner.StoreUnsafe(ref owners, (nuint)c);
                c += Vector256<int>.Count;
            }
            while (c < count);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var owner = Vector128.Create(target);
            int c = 0;
            do
            {
                Vector128.LoadUnsafe(ref source, (nuint)c).StoreUnsafe(ref places, (nuint)c);
                owner.StoreUnsafe(ref owners, (nuint)c);
                c += Vector128<int>.Count;
            }
            while (c < count);
        }
        else
        {
            for (int c = 0; c < count; c++)
            {
                Unsafe.Add(ref places, c) = Unsafe.Add(ref source, c);
                Unsafe.Add(ref owners, c) = target;
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
