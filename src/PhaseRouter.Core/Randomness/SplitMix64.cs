using System.Runtime.CompilerServices;

namespace PhaseRouter;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood, 2014): a Weyl sequence with increment
/// <c>0x9E3779B97F4A7C15</c> passed through the variant-13 finaliser. It is tiny, fast, passes BigCrush, and its
/// output is fixed by its definition, so routes derived from it are the same on every machine and version.
/// </summary>
public struct SplitMix64
{
    /// <summary>The Weyl increment (the 64-bit golden ratio).</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private ulong _state;

    /// <summary>Starts a stream at <paramref name="state"/>.</summary>
    /// <param name="state">The initial state; any value, 0 included.</param>
    public SplitMix64(ulong state) => _state = state;

    /// <summary>The current state (the last value of the Weyl sequence): a stream resumed from it continues this one.</summary>
    internal readonly ulong State => _state;

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit mixer.</summary>
    /// <param name="z">The value to mix.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Next()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>
    /// A uniform integer in <c>[0, bound)</c> by Lemire's multiply-and-reject method on the high 32 bits of
    /// <see cref="Next"/> (unbiased; the rejection branch is rare).
    /// </summary>
    /// <param name="bound">Exclusive upper bound, at least 1.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextBounded(uint bound)
    {
        ulong product = (Next() >> 32) * bound;
        uint low = (uint)product;
        if (low < bound)
        {
            uint threshold = (0u - bound) % bound;
            while (low < threshold)
            {
                product = (Next() >> 32) * bound;
                low = (uint)product;
            }
        }

        return (uint)(product >> 32);
    }
}
