using System.Numerics;
using System.Runtime.CompilerServices;

namespace PhaseRouter;

/// <summary>
/// A seed-keyed permutation of <c>[0, length)</c> evaluated one index at a time: a balanced Feistel network on the
/// smallest even number of bits b with <c>2^b ≥ length</c>, walked in cycles until the value falls back inside
/// <c>[0, length)</c> (Black and Rogaway's cycle walking, which keeps a bijection). Since <c>2^b &lt; 4 · length</c>,
/// an index takes under four network passes on average. Round keys come from stream 0 of
/// <c>(seed, domain)</c> (<see cref="PhaseRandom.Stream"/>); the round function is <see cref="SplitMix64.Mix"/>.
/// </summary>
public readonly struct IndexPermutation
{
    private readonly ulong _k0, _k1, _k2, _k3, _k4, _k5;
    private readonly int _halfBits;
    private readonly ulong _halfMask;

    /// <summary>The permutation of <c>[0, length)</c> for a seed and a domain of <see cref="PhaseRandom"/>.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="domain">One of the domain constants of <see cref="PhaseRandom"/>.</param>
    /// <param name="length">The permutation length, at least 0.</param>
    public IndexPermutation(ulong seed, ulong domain, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        int bits = length <= 1 ? 2 : 64 - BitOperations.LeadingZeroCount((ulong)(length - 1));
        bits = Math.Max(2, bits + (bits & 1));
        _halfBits = bits / 2;
        _halfMask = (1UL << _halfBits) - 1;
        var rng = PhaseRandom.Stream(seed, domain);
        _k0 = rng.Next();
        _k1 = rng.Next();
        _k2 = rng.Next();
        _k3 = rng.Next();
        _k4 = rng.Next();
        _k5 = rng.Next();
    }

    /// <summary>The permutation length.</summary>
    public int Length { get; }

    /// <summary>The image of <paramref name="index"/>, in <c>[0, Length)</c>.</summary>
    /// <param name="index">An index in <c>[0, Length)</c>.</param>
    public int this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Length}).");
            }

            ulong x = (ulong)index;
            do
            {
                x = Encrypt(x);
            }
            while (x >= (ulong)Length);

            return (int)x;
        }
    }

    /// <summary>Writes the images of <c>first, first + 1, …</c> into <paramref name="destination"/>.</summary>
    /// <param name="first">The first index.</param>
    /// <param name="destination">Receives <c>this[first + u]</c> at <c>u</c>; <c>first + destination.Length ≤ Length</c>.</param>
    public void Fill(int first, Span<int> destination)
    {
        if (first < 0 || (long)first + destination.Length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(first), first,
                $"[first, first + {destination.Length}) must lie in [0, {Length}).");
        }

        for (int u = 0; u < destination.Length; u++)
        {
            ulong x = (ulong)(first + u);
            do
            {
                x = Encrypt(x);
            }
            while (x >= (ulong)Length);

            destination[u] = (int)x;
        }
    }

    /// <summary>The whole permutation as an array.</summary>
    public int[] ToArray()
    {
        var result = new int[Length];
        Fill(0, result);
        return result;
    }

    /// <summary>One pass of the network on <c>[0, 2^b)</c>: six rounds of <c>(L, R) → (R, L ⊕ F_k(R))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Encrypt(ulong x)
    {
        ulong left = x >> _halfBits;
        ulong right = x & _halfMask;
        Round(ref left, ref right, _k0);
        Round(ref left, ref right, _k1);
        Round(ref left, ref right, _k2);
        Round(ref left, ref right, _k3);
        Round(ref left, ref right, _k4);
        Round(ref left, ref right, _k5);
        return (left << _halfBits) | right;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Round(ref ulong left, ref ulong right, ulong key)
    {
        ulong mixed = left ^ (SplitMix64.Mix(key ^ right) & _halfMask);
        left = right;
        right = mixed;
    }
}
