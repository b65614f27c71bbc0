namespace PhaseRouter.Benchmarks.Inputs;

/// <summary>
/// The inputs of SPEC §5: square N, every row degree uniform in [1, k], ones at random positions, cap k.
/// Built once per shape; each form (packed, degrees, dense) holds the same matrices.
/// </summary>
public sealed class Section5Input
{
    private Section5Input(int n, int k, int[] s, int[] t, BitMatrix sources, BitMatrix targets)
    {
        N = n;
        K = k;
        SourceDegrees = s;
        TargetDegrees = t;
        Sources = sources;
        Targets = targets;
    }

    public int N { get; }

    public int K { get; }

    public int[] SourceDegrees { get; }

    public int[] TargetDegrees { get; }

    public BitMatrix Sources { get; }

    public BitMatrix Targets { get; }

    public static Section5Input Create(int n, int k, int seed = 2024)
    {
        var rng = new Random(seed);
        (BitMatrix s, int[] sd) = RandomRows(rng, n, k);
        (BitMatrix t, int[] td) = RandomRows(rng, n, k);
        return new Section5Input(n, k, sd, td, s, t);
    }

    /// <summary>The same matrices as dense bytes (N² bytes each).</summary>
    public (byte[,] Sources, byte[,] Targets) Dense() => (ToDense(Sources), ToDense(Targets));

    private static (BitMatrix, int[]) RandomRows(Random rng, int n, int k)
    {
        var m = new BitMatrix(n, n);
        var degrees = new int[n];
        var words = new ulong[m.WordsPerRow];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(words);
            int d = rng.Next(1, Math.Min(k, n) + 1);
            degrees[i] = d;
            int placed = 0;
            while (placed < d)
            {
                int c = rng.Next(n);
                ulong bit = 1UL << c;
                if ((words[c >> 6] & bit) == 0)
                {
                    words[c >> 6] |= bit;
                    placed++;
                }
            }

            for (int c = 0; c < n; c++)
            {
                if ((words[c >> 6] >> c & 1) != 0)
                {
                    m[i, c] = true;
                }
            }
        }

        return (m, degrees);
    }

    private static byte[,] ToDense(BitMatrix m)
    {
        var d = new byte[m.Rows, m.Columns];
        for (int r = 0; r < m.Rows; r++)
        {
            ReadOnlySpan<ulong> row = m.Row(r);
            for (int w = 0; w < row.Length; w++)
            {
                ulong bits = row[w];
                while (bits != 0)
                {
                    d[r, (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits)] = 1;
                    bits &= bits - 1;
                }
            }
        }

        return d;
    }
}
