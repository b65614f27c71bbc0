namespace PhaseRouter.Engine;

/// <summary>
/// The O(R + C) arrays of one routing call (degree copies, permutations, phase offsets, ring tables), kept by a
/// caller's <see cref="RouteBuffers"/> so that calls of the same shape reuse them instead of allocating (arrays of
/// 85 kB and more would go to the large-object heap, whose fresh pages cost page faults and gen-2 collections). No
/// result refers to these arrays, so the next call may overwrite them. A call without buffers borrows its thread's
/// workspace (RouteEngine), so those arrays stay warm across default calls too.
/// </summary>
internal sealed class LayoutWorkspace
{
    public int[]? SourceDegrees;
    public int[]? TargetDegrees;
    public int[]? PiS;
    public int[]? PiT;
    public int[]? PhiS;
    public int[]? PhiT;
    public int[]? Identity;
    public long[]? LineStart;
    public int[]? TargetAt;
    public int[]? PhiTAt;
    public int[]? DegreeTAt;
    public ulong[]? TargetArcAt;
    public ushort[]? PhiTAt16;
    public ushort[]? DegreeTAt16;

    // The candidate sweep's scratch (Kernels/CandidateSweep).
    public int[]? SweepEventStart;
    public ulong[]? SweepEvents;
    public ulong[]? SweepActive;
    public int[]? SweepPairs;
    public int[]? SweepPlaceCounts;
    public int[]? SweepPositionStart;
    public int[]? SweepCandidateOffsets;
    public int[]? SweepCandidates;
    public int[]? SweepTargetStart;
    public int[]? SweepFlatPlaces;
    public int[]? SweepFlatTargets;

    /// <summary>The call's layout object, reset by each call.</summary>
    public Kernels.PhaseLayout? Layout;

    /// <summary>The call's compact output object, reset by each call.</summary>
    public CompactOutput? Output;

    /// <summary>
    /// Compact routes of a call whose result is no view of caller buffers: the default call routes here and copies
    /// the rows into its result's segments (<see cref="RouteSegments"/>); a padded call routes here and expands the
    /// rows into the caller's R·k slots. Grows to the largest such call and is reused, so these routes never land in
    /// fresh large-object pages.
    /// </summary>
    public RouteBuffers? Staging;

    /// <summary>An array of exactly <paramref name="length"/> entries: the slot's, or a new one kept in the slot.</summary>
    public static T[] Take<T>(ref T[]? slot, int length)
    {
        if (slot is null || slot.Length != length)
        {
            slot = new T[length];
        }

        return slot;
    }

    /// <summary>An array of at least <paramref name="length"/> entries, contents undefined: the slot's, or a new larger one kept in the slot.</summary>
    public static T[] TakeAtLeast<T>(ref T[]? slot, int length)
    {
        if (slot is null || slot.Length < length)
        {
            slot = GC.AllocateUninitializedArray<T>(length);
        }

        return slot;
    }
}
