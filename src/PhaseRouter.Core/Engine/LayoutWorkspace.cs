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

    /// <summary>An array of exactly <paramref name="length"/> entries: the slot's, or a new one kept in the slot.</summary>
    public static T[] Take<T>(ref T[]? slot, int length)
    {
        if (slot is null || slot.Length != length)
        {
            slot = new T[length];
        }

        return slot;
    }
}
