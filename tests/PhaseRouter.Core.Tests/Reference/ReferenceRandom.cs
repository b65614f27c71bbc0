namespace PhaseRouter.Core.Tests.Reference;

/// <summary>The documented generator of <see cref="PhaseRandom"/>, written out again from its description.</summary>
internal struct ReferenceRandom(ulong state)
{
    private ulong _state = state;

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static ReferenceRandom Stream(ulong seed, ulong domain, ulong index) =>
        new(Mix(Mix(seed ^ Mix(domain)) + (index + 1) * 0x9E3779B97F4A7C15UL));

    public static int[] Permutation(ulong seed, ulong domain, int n)
    {
        int[] a = Enumerable.Range(0, n).ToArray();
        var rng = Stream(seed, domain, 0);
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)rng.NextBounded((uint)(i + 1));
            (a[i], a[j]) = (a[j], a[i]);
        }

        return a;
    }

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Lemire's method: high half of (32 random bits × bound), rejecting the biased low range.</summary>
    public uint NextBounded(uint bound)
    {
        while (true)
        {
            ulong product = (Next() >> 32) * bound;
            if ((uint)product >= (0u - bound) % bound)
            {
                return (uint)(product >> 32);
            }
        }
    }
}
