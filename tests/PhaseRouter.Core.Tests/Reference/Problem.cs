namespace PhaseRouter.Core.Tests.Reference;

/// <summary>A random routing problem: dense matrices with ones at random positions, k and a seed.</summary>
internal sealed record Problem(bool[,] S, bool[,] T, int K, ulong Seed)
{
    public int R => S.GetLength(0);

    public int C => S.GetLength(1);

    public BitMatrix SourceMatrix => BitMatrix.FromDense(S);

    public BitMatrix TargetMatrix => BitMatrix.FromDense(T);

    public int[] SourceDegrees => Degrees(S);

    public int[] TargetDegrees => Degrees(T);

    public ReferenceRouter Reference() => new() { S = S, T = T };

    /// <summary>
    /// Shapes up to <paramref name="maxSide"/> (crossing the 64-bit word boundary), degrees that are sometimes 0 or
    /// full, k from 1 to past C.
    /// </summary>
    public static Problem Random(int seed, int maxSide = 80)
    {
        var rng = new Random(seed);
        int r = rng.Next(1, maxSide + 1);
        int c = rng.Next(1, maxSide + 1);
        var s = RandomMatrix(rng, r, c);
        var t = RandomMatrix(rng, c, r);
        int k = rng.Next(1, c + 3);
        return new Problem(s, t, k, (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40));
    }

    public static bool[,] RandomMatrix(Random rng, int rows, int columns)
    {
        var m = new bool[rows, columns];
        int style = rng.Next(4);
        for (int i = 0; i < rows; i++)
        {
            int degree = style switch
            {
                0 => rng.Next(columns + 1),
                1 => rng.Next(3) == 0 ? 0 : columns, // empty and full rows
                2 => rng.Next(Math.Min(columns, 3) + 1), // sparse
                _ => columns - rng.Next(Math.Min(columns, 3) + 1), // nearly full
            };
            foreach (int col in Enumerable.Range(0, columns).OrderBy(_ => rng.Next()).Take(degree))
            {
                m[i, col] = true;
            }
        }

        return m;
    }

    public static int[] Degrees(bool[,] m)
    {
        var d = new int[m.GetLength(0)];
        for (int i = 0; i < d.Length; i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                d[i] += m[i, j] ? 1 : 0;
            }
        }

        return d;
    }

    public static byte[,] ToBytes(bool[,] m)
    {
        var b = new byte[m.GetLength(0), m.GetLength(1)];
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                b[i, j] = m[i, j] ? (byte)(1 + ((i + j) % 7)) : (byte)0;
            }
        }

        return b;
    }

    /// <summary>Random scores with deliberate ties and some masked (−∞) pairs.</summary>
    public float[] RandomScores(int seed)
    {
        var rng = new Random(seed);
        var scores = new float[R * C];
        for (int x = 0; x < scores.Length; x++)
        {
            scores[x] = rng.Next(10) == 0 ? float.NegativeInfinity : rng.Next(6) / 2f;
        }

        return scores;
    }
}
