namespace PhaseRouter.Evaluation.Inputs;

/// <summary>
/// The original's adversarial phase-2 sources: every source's row becomes one of a few shared column sets, chosen by the
/// sum of its phase-1 routes modulo the number of buckets, so rows of the same bucket want exactly the same targets.
/// </summary>
public static class AdversarialInput
{
    /// <summary>The original's bucket count.</summary>
    public const int DefaultBuckets = 128;

    /// <summary>Builds S2 (<c>N × N</c>, every row of degree k) from phase-1 routes.</summary>
    /// <param name="phase1">Phase 1's routing of N sources to N targets.</param>
    /// <param name="k">The degree of every row (the column set of each bucket).</param>
    /// <param name="seed">Seed of the buckets' column sets.</param>
    /// <param name="buckets">The number of shared column sets.</param>
    public static BitMatrix Build(RoutingResult phase1, int k, int seed, int buckets = DefaultBuckets)
    {
        ArgumentNullException.ThrowIfNull(phase1);
        int n = phase1.Targets;
        BitMatrix sets = InputFactory.UniformDegree(Math.Max(buckets, 1), n, k, seed);
        int wordsPerRow = (n + 63) >> 6;
        var words = new ulong[(long)phase1.Sources * wordsPerRow];
        for (int i = 0; i < phase1.Sources; i++)
        {
            long sum = 0;
            foreach (int r in phase1.RoutesOf(i))
            {
                if (r >= 0)
                {
                    sum += r;
                }
            }

            sets.Row((int)(sum % buckets)).CopyTo(words.AsSpan(i * wordsPerRow, wordsPerRow));
        }

        return BitMatrix.FromPackedRows(phase1.Sources, n, words);
    }
}
