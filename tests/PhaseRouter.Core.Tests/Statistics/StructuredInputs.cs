namespace PhaseRouter.Core.Tests.Statistics;

/// <summary>Structured N × N source matrices whose column sums are uneven, and the all-ones target matrix.</summary>
internal static class StructuredInputs
{
    public const int N = 256;

    /// <summary>Shapes by name, for theories.</summary>
    public static BitMatrix Get(string name) => name switch
    {
        // Diagonal staircase: source i may use targets 0..i (the lower triangle, diagonal included).
        "diagonal" => Make((i, j) => j <= i),

        // Diagonal band, not wrapped: source i may use targets within 16 of i.
        "band" => Make((i, j) => Math.Abs(i - j) <= 16),

        // Two blocks: half the sources share a quarter of the targets; the other half share the rest.
        "block" => Make((i, j) => i < N / 2 ? j < N / 8 : j >= N / 8),

        // Checkerboard of 48 × 40 tiles: N is no multiple of either, so tiles of one colour are uneven.
        "checkerboard" => Make((i, j) => (i / 48 + j / 40) % 2 == 0),

        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown shape"),
    };

    /// <summary>Every target accepts every source.</summary>
    public static BitMatrix AllOnes(int rows, int columns) => Make((_, _) => true, rows, columns);

    public static BitMatrix Make(Func<int, int, bool> one, int rows = N, int columns = N)
    {
        var m = new BitMatrix(rows, columns);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                if (one(i, j))
                {
                    m[i, j] = true;
                }
            }
        }

        return m;
    }
}
