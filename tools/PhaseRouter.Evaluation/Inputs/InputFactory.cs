namespace PhaseRouter.Evaluation.Inputs;

/// <summary>
/// The inputs of the original's evaluation scripts, built in this library's orientation: S is <c>R × C</c> (row i =
/// source i), T is <c>C × R</c> (row j = target j). Every generator is deterministic in its seed (System.Random with a
/// seed is stable across .NET versions); the ones of a row are drawn without replacement by Floyd's algorithm.
/// </summary>
public static class InputFactory
{
    /// <summary>
    /// The original's random test input: every row's degree uniform in <c>[1, maxDegree]</c>, its ones at uniformly
    /// random positions (its <c>generate_random_binary_matrices</c>), for an <c>n × n</c> problem.
    /// </summary>
    /// <param name="n">N, sources and targets.</param>
    /// <param name="maxDegree">The largest row degree (the original uses k), in <c>[1, n]</c>.</param>
    /// <param name="seed">The seed; S and T use independent streams derived from it.</param>
    public static (BitMatrix Sources, BitMatrix Targets) RandomDegrees(int n, int maxDegree, int seed)
    {
        CheckSize(n, maxDegree, nameof(maxDegree));
        var sourceRng = new Random(seed);
        var targetRng = new Random(unchecked(seed * 31 + 17));
        BitMatrix s = Fill(n, n, _ => sourceRng.Next(1, maxDegree + 1), sourceRng);
        BitMatrix t = Fill(n, n, _ => targetRng.Next(1, maxDegree + 1), targetRng);
        return (s, t);
    }

    /// <summary>An <c>n × n</c> matrix with exactly <paramref name="degree"/> ones per row at random positions (the original's <c>generate_uniform_k_matrices</c>).</summary>
    /// <param name="n">N.</param>
    /// <param name="degree">Ones per row, in <c>[0, n]</c>.</param>
    /// <param name="seed">The seed.</param>
    public static BitMatrix UniformDegree(int n, int degree, int seed) => UniformDegree(n, n, degree, seed);

    /// <summary>A <c>rows × columns</c> matrix with exactly <paramref name="degree"/> ones per row at random positions.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="degree">Ones per row, in <c>[0, columns]</c>.</param>
    /// <param name="seed">The seed.</param>
    public static BitMatrix UniformDegree(int rows, int columns, int degree, int seed)
    {
        if (degree < 0 || degree > columns)
        {
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"degree must be in [0, {columns}].");
        }

        var rng = new Random(seed);
        return Fill(rows, columns, _ => degree, rng);
    }

    /// <summary>A matrix with row i's degree given by <paramref name="degreeOf"/> and its ones at random positions.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="degreeOf">Row index → degree in <c>[0, columns]</c>.</param>
    /// <param name="rng">The generator.</param>
    public static BitMatrix Fill(int rows, int columns, Func<int, int> degreeOf, Random rng)
    {
        ArgumentNullException.ThrowIfNull(degreeOf);
        ArgumentNullException.ThrowIfNull(rng);
        var words = new ulong[(long)rows * ((columns + 63) >> 6)];
        int wordsPerRow = (columns + 63) >> 6;
        for (int i = 0; i < rows; i++)
        {
            int degree = degreeOf(i);
            if (degree < 0 || degree > columns)
            {
                throw new ArgumentOutOfRangeException(nameof(degreeOf), degree, $"row {i}: degree must be in [0, {columns}].");
            }

            Span<ulong> row = words.AsSpan((int)((long)i * wordsPerRow), wordsPerRow);

            // Floyd's sampling of `degree` distinct columns: O(degree) draws, membership read from the row itself.
            for (int j = columns - degree; j < columns; j++)
            {
                int pick = rng.Next(j + 1);
                int column = IsSet(row, pick) ? j : pick;
                row[column >> 6] |= 1UL << (column & 63);
            }
        }

        return BitMatrix.FromPackedRows(rows, columns, words);
    }

    /// <summary>A matrix whose ones are where <paramref name="one"/> says.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="one">(row, column) → whether the bit is set.</param>
    public static BitMatrix Pattern(int rows, int columns, Func<int, int, bool> one)
    {
        ArgumentNullException.ThrowIfNull(one);
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

    private static bool IsSet(ReadOnlySpan<ulong> row, int column) => (row[column >> 6] >> (column & 63) & 1UL) != 0;

    private static void CheckSize(int n, int degree, string name)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        }

        if (degree < 1 || degree > n)
        {
            throw new ArgumentOutOfRangeException(name, degree, $"{name} must be in [1, n = {n}].");
        }
    }
}
