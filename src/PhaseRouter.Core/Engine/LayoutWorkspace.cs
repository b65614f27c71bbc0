namespace PhaseRouter.Engine;

/// <summary>
/// The O(R + C) arrays of one routing call (degree copies, permutations, phase offsets, ring tables), kept by a
/// caller's <see cref="RouteBuffers"/> so that calls of the same shape reuse them instead of allocating (arrays of
/// 85 kB and more would go to the large-object heap, whose fresh pages cost page faults and gen-2 collections). No
/// result refers to these arrays, so the next call may overwrite them. A call without buffers uses a fresh workspace.
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
    public ushort[]? PhiTAt16;
    public ushort[]? DegreeTAt16;

    // The candidate sweep's scratch (Kernels/CandidateSweep).
    public int[]? SweepEventStart;
    public int[]? SweepEvents;
    public ulong[]? SweepActive;
    public int[]? SweepPairs;
    public int[]? SweepPlaceCounts;
    public int[]? SweepPositionStart;
    public int[]? SweepCandidateOffsets;
    public int[]? SweepCandidates;
    public int[]? SweepTargetStart;

    /// <summary>The call's layout object, reset by each call.</summary>
    public Kernels.PhaseLayout? Layout;

    /// <summary>The call's compact output object, reset by each call.</summary>
    public CompactOutput? Output;

    /// <summary>Compact staging of a padded call routed by the sweep.</summary>
    public RouteBuffers? PaddedStaging;

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
