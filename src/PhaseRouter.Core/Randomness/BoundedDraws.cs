using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PhaseRouter;

/// <summary>
/// Runs of <see cref="SplitMix64.NextBounded"/> draws with falling bounds (a Fisher–Yates shuffle's), eight at a time
/// where 64-bit vector multiplies exist (AVX-512 DQ): eight consecutive states, mixed and scaled in one pass, then
/// checked for Lemire's rejection as a group. A group in which any draw might be rejected (chance about bound / 2^32
/// per draw) is redone one draw at a time, so the draws, and the stream's state after them, are exactly those of
/// calling <see cref="SplitMix64.NextBounded"/> in turn.
/// </summary>
internal static class BoundedDraws
{
    private const int Lanes = 8;

    /// <summary>
    /// Writes <c>into[m] = NextBounded(firstBound − m)</c> for each m, advancing <paramref name="state"/> (a
    /// <see cref="SplitMix64"/> state) as those calls would.
    /// </summary>
    /// <param name="state">The stream's state, advanced past the draws.</param>
    /// <param name="firstBound">The first draw's bound; every bound <c>firstBound − m</c> must be at least 1.</param>
    /// <param name="into">Receives the draws.</param>
    public static void Fill(ref ulong state, uint firstBound, Span<int> into)
    {
        int m = 0;
        if (Vector512.IsHardwareAccelerated && Avx512DQ.IsSupported)
        {
            Vector512<ulong> steps = Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8) * SplitMix64.Gamma;
            Vector512<ulong> falling = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
            for (; m + Lanes <= into.Length; m += Lanes)
            {
                Vector512<ulong> bounds = Vector512.Create((ulong)(firstBound - (uint)m)) - falling;
                Vector512<ulong> product = (Mix(Vector512.Create(state) + steps) >> 32) * bounds;
                Vector512<ulong> low = product & Vector512.Create((ulong)uint.MaxValue);
                if (Vector512.LessThanAny(low, bounds))
                {
                    // Possibly a rejection: these eight, one at a time.
                    for (int lane = 0; lane < Lanes; lane++)
                    {
                        into[m + lane] = (int)Next(ref state, firstBound - (uint)(m + lane));
                    }

                    continue;
                }

                // Each draw is below its bound, so it fits the 32 bits the narrowing keeps.
                Avx512F.ConvertToVector256Int32((product >> 32).AsInt64()).CopyTo(into[m..]);

                state += unchecked(Lanes * SplitMix64.Gamma);
            }
        }

        for (; m < into.Length; m++)
        {
            into[m] = (int)Next(ref state, firstBound - (uint)m);
        }
    }

    /// <summary>One <see cref="SplitMix64.NextBounded"/> draw on a bare state.</summary>
    private static uint Next(ref ulong state, uint bound)
    {
        var rng = new SplitMix64(state);
        uint draw = rng.NextBounded(bound);
        state = rng.State;
        return draw;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mix(Vector512<ulong> z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
