using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PhaseRouter;

/// <summary>
/// Every random choice the router makes, derived from the caller's 64-bit seed. Each choice reads its own
/// <see cref="SplitMix64"/> stream whose start is <see cref="StreamState"/>(seed, domain, index), so streams are
/// independent of one another, of the thread that reads them and of the order rows are processed in.
/// This derivation is part of the public contract: changing it changes every route, and golden hashes in the
/// tests pin it.
/// </summary>
public static class PhaseRandom
{
    /// <summary>Domain of the source column permutation πS (step 4).</summary>
    public const ulong SourceColumnsDomain = 1;

    /// <summary>Domain of the target column permutation πT (step 4).</summary>
    public const ulong TargetColumnsDomain = 2;

    /// <summary>Domain of the source row dealing order ρS (step 5).</summary>
    public const ulong SourceRowsDomain = 3;

    /// <summary>Domain of the target row dealing order ρT (step 5).</summary>
    public const ulong TargetRowsDomain = 4;

    /// <summary>Domain of the per-row selection streams (step 8); the index is the source row.</summary>
    public const ulong SelectionDomain = 5;

    /// <summary>Domain of the row priority order used with target capacities and no scores.</summary>
    public const ulong PriorityDomain = 6;

    /// <summary>Domain of the hash baseline's keyed hash.</summary>
    public const ulong HashDomain = 7;

    /// <summary>
    /// The start state of stream <paramref name="index"/> of <paramref name="domain"/>:
    /// <c>Mix(Mix(seed ^ Mix(domain)) + (index + 1) · Gamma)</c>.
    /// </summary>
    /// <param name="seed">The caller's seed; 0 is an ordinary seed.</param>
    /// <param name="domain">One of the domain constants of this class.</param>
    /// <param name="index">The stream index within the domain (a row, for selection streams).</param>
    public static ulong StreamState(ulong seed, ulong domain, ulong index) =>
        SplitMix64.Mix(SplitMix64.Mix(seed ^ SplitMix64.Mix(domain)) + (index + 1) * SplitMix64.Gamma);

    /// <summary>The generator of stream <paramref name="index"/> of <paramref name="domain"/>.</summary>
    /// <param name="seed">The caller's seed.</param>
    /// <param name="domain">One of the domain constants of this class.</param>
    /// <param name="index">The stream index.</param>
    public static SplitMix64 Stream(ulong seed, ulong domain, ulong index = 0) => new(StreamState(seed, domain, index));

    /// <summary>
    /// A uniform permutation of <c>[0, length)</c>: the identity shuffled by Durstenfeld's Fisher–Yates, from the
    /// last position down, with <see cref="SplitMix64.NextBounded"/> draws from stream 0 of <paramref name="domain"/>.
    /// </summary>
    /// <param name="seed">The caller's seed.</param>
    /// <param name="domain">One of the domain constants of this class.</param>
    /// <param name="length">The permutation length, at least 0.</param>
    public static int[] Permutation(ulong seed, ulong domain, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var perm = new int[length];
        FillPermutation(seed, domain, perm);
        return perm;
    }

    /// <summary>Writes the permutation of <see cref="Permutation"/> into <paramref name="destination"/>.</summary>
    /// <param name="seed">The caller's seed.</param>
    /// <param name="domain">One of the domain constants of this class.</param>
    /// <param name="destination">Receives a permutation of <c>[0, destination.Length)</c>.</param>
    public static void FillPermutation(ulong seed, ulong domain, Span<int> destination)
    {
        FillIndices(destination);

        // The draws come in runs (BoundedDraws: several at once where vectors allow, the same numbers as one by one),
        // so the swapping loop below only loads and stores.
        ulong state = StreamState(seed, domain, 0);
        Span<int> draws = stackalloc int[DrawRun];
        ref int first = ref MemoryMarshal.GetReference(destination);
        for (int top = destination.Length - 1; top > 0; top -= DrawRun)
        {
            Span<int> run = draws[..Math.Min(DrawRun, top)];
            BoundedDraws.Fill(ref state, (uint)(top + 1), run);
            for (int m = 0; m < run.Length; m++)
            {
                ref int a = ref Unsafe.Add(ref first, top - m);
                ref int b = ref Unsafe.Add(ref first, run[m]);
                (a, b) = (b, a);
            }
        }
    }

    /// <summary>Writes 0, 1, …, n − 1 a vector at a time (a scalar loop was 2 % of a whole routing call at N = 16384).</summary>
    private static void FillIndices(Span<int> destination)
    {
        ref int first = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (Vector512<int> indices = Vector512<int>.Indices; i + Vector512<int>.Count <= n; i += Vector512<int>.Count)
            {
                indices.StoreUnsafe(ref first, (nuint)i);
                indices += Vector512.Create(Vector512<int>.Count);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (Vector256<int> indices = Vector256<int>.Indices; i + Vector256<int>.Count <= n; i += Vector256<int>.Count)
            {
                indices.StoreUnsafe(ref first, (nuint)i);
                indices += Vector256.Create(Vector256<int>.Count);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (Vector128<int> indices = Vector128<int>.Indices; i + Vector128<int>.Count <= n; i += Vector128<int>.Count)
            {
                indices.StoreUnsafe(ref first, (nuint)i);
                indices += Vector128.Create(Vector128<int>.Count);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref first, i) = i;
        }
    }

    /// <summary>Draws made per run of the shuffle.</summary>
    private const int DrawRun = 64;
}
