using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace PhaseRouter;

/// <summary>
/// A dense binary matrix stored row-major as packed 64-bit words: bit <c>c</c> of row <c>r</c> is bit
/// <c>c % 64</c> of word <c>r * WordsPerRow + c / 64</c>. Bits past <see cref="Columns"/> in a row's last word are
/// always zero, so a row's population count is its degree.
/// </summary>
public sealed class BitMatrix : IEquatable<BitMatrix>
{
    private readonly ulong[] _words;

    /// <summary>Creates an all-zero matrix.</summary>
    /// <param name="rows">Number of rows, at least 0.</param>
    /// <param name="columns">Number of columns, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or the matrix would not fit one array.</exception>
    public BitMatrix(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        int wordsPerRow = WordsFor(columns);
        long total = (long)rows * wordsPerRow;
        if (total > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows,
                $"A {rows}×{columns} bit matrix needs {total} words, more than one array can hold.");
        }

        Rows = rows;
        Columns = columns;
        WordsPerRow = wordsPerRow;
        _words = new ulong[total];
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Number of 64-bit words that hold one row: <c>ceil(Columns / 64)</c>.</summary>
    public int WordsPerRow { get; }

    /// <summary>All words, row after row.</summary>
    public ReadOnlySpan<ulong> Words => _words;

    /// <summary>Gets or sets one bit.</summary>
    /// <param name="row">Row index in <c>[0, Rows)</c>.</param>
    /// <param name="column">Column index in <c>[0, Columns)</c>.</param>
    public bool this[int row, int column]
    {
        get
        {
            CheckIndex(row, column);
            return (_words[(long)row * WordsPerRow + (column >> 6)] >> column & 1UL) != 0;
        }
        set
        {
            CheckIndex(row, column);
            ref ulong word = ref _words[(long)row * WordsPerRow + (column >> 6)];
            ulong bit = 1UL << column;
            word = value ? word | bit : word & ~bit;
        }
    }

    /// <summary>The packed words of one row (read-only).</summary>
    /// <param name="row">Row index in <c>[0, Rows)</c>.</param>
    public ReadOnlySpan<ulong> Row(int row)
    {
        CheckRow(row);
        return new ReadOnlySpan<ulong>(_words, row * WordsPerRow, WordsPerRow);
    }

    /// <summary>Number of ones in a row.</summary>
    /// <param name="row">Row index in <c>[0, Rows)</c>.</param>
    public int RowDegree(int row) => Kernels.DegreeCounter.PopCount(Row(row));

    /// <summary>The degree of every row.</summary>
    public int[] RowDegrees()
    {
        var degrees = new int[Rows];
        Kernels.DegreeCounter.RowDegrees(this, degrees, maxDegreeOfParallelism: -1);
        return degrees;
    }

    /// <summary>Total number of ones.</summary>
    public long CountOnes()
    {
        long total = 0;
        foreach (ulong w in _words)
        {
            total += BitOperations.PopCount(w);
        }

        return total;
    }

    /// <summary>The transposed matrix (<c>Columns × Rows</c>).</summary>
    public BitMatrix Transpose() => Kernels.BitTranspose.Transpose(this);

    /// <summary>Builds a matrix from dense bytes: any non-zero byte is a one.</summary>
    /// <param name="dense">A <c>rows × columns</c> array.</param>
    public static BitMatrix FromDense(byte[,] dense)
    {
        ArgumentNullException.ThrowIfNull(dense);
        var m = new BitMatrix(dense.GetLength(0), dense.GetLength(1));
        for (int r = 0; r < m.Rows; r++)
        {
            Span<ulong> row = m.RowSpan(r);
            for (int c = 0; c < m.Columns; c++)
            {
                if (dense[r, c] != 0)
                {
                    row[c >> 6] |= 1UL << c;
                }
            }
        }

        return m;
    }

    /// <summary>Builds a matrix from dense booleans.</summary>
    /// <param name="dense">A <c>rows × columns</c> array.</param>
    public static BitMatrix FromDense(bool[,] dense)
    {
        ArgumentNullException.ThrowIfNull(dense);
        var m = new BitMatrix(dense.GetLength(0), dense.GetLength(1));
        for (int r = 0; r < m.Rows; r++)
        {
            Span<ulong> row = m.RowSpan(r);
            for (int c = 0; c < m.Columns; c++)
            {
                if (dense[r, c])
                {
                    row[c >> 6] |= 1UL << c;
                }
            }
        }

        return m;
    }

    /// <summary>
    /// Builds a matrix from packed rows laid out as <see cref="Words"/> describes
    /// (<c>rows * ceil(columns / 64)</c> words).
    /// </summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="words">The packed words; padding bits past <paramref name="columns"/> must be zero.</param>
    /// <exception cref="ArgumentException">Wrong word count, or a padding bit is set.</exception>
    public static BitMatrix FromPackedRows(int rows, int columns, ReadOnlySpan<ulong> words)
    {
        var m = new BitMatrix(rows, columns);
        if (words.Length != m._words.Length)
        {
            throw new ArgumentException(
                $"A {rows}×{columns} matrix needs {m._words.Length} packed words; got {words.Length}.", nameof(words));
        }

        ulong padding = m.PaddingMask;
        if (padding != 0)
        {
            for (int r = 0; r < rows; r++)
            {
                if ((words[(r + 1) * m.WordsPerRow - 1] & padding) != 0)
                {
                    throw new ArgumentException(
                        $"Row {r} has bits set past column {columns - 1} in its last word.", nameof(words));
                }
            }
        }

        words.CopyTo(m._words);
        return m;
    }

    /// <summary>Builds a matrix whose row <c>r</c> has its first <c>degrees[r]</c> bits set (the aligned form of SPEC step 1).</summary>
    /// <param name="degrees">One degree per row, each in <c>[0, columns]</c>.</param>
    /// <param name="columns">Number of columns.</param>
    public static BitMatrix FromDegrees(ReadOnlySpan<int> degrees, int columns)
    {
        var m = new BitMatrix(degrees.Length, columns);
        for (int r = 0; r < degrees.Length; r++)
        {
            int d = degrees[r];
            if ((uint)d > (uint)columns)
            {
                throw new ArgumentOutOfRangeException(nameof(degrees), d,
                    $"Degree of row {r} must be in [0, {columns}].");
            }

            Kernels.BitRange.SetRange(m.RowSpan(r), 0, d);
        }

        return m;
    }

    /// <summary>Writes the matrix as lines of 0 and 1; large matrices are summarised.</summary>
    public override string ToString()
    {
        const int MaxShown = 64;
        var sb = new StringBuilder();
        sb.Append("BitMatrix ").Append(Rows).Append('×').Append(Columns).Append(", ").Append(CountOnes()).Append(" ones");
        if (Rows > MaxShown || Columns > MaxShown)
        {
            return sb.ToString();
        }

        for (int r = 0; r < Rows; r++)
        {
            sb.AppendLine();
            for (int c = 0; c < Columns; c++)
            {
                sb.Append(this[r, c] ? '1' : '0');
            }
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public bool Equals(BitMatrix? other) =>
        other is not null && other.Rows == Rows && other.Columns == Columns && _words.AsSpan().SequenceEqual(other._words);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BitMatrix);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Rows);
        hash.Add(Columns);
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_words.AsSpan()));
        return hash.ToHashCode();
    }

    internal Span<ulong> RowSpan(int row) => new(_words, row * WordsPerRow, WordsPerRow);

    internal ulong[] RawWords => _words;

    internal ulong PaddingMask => (Columns & 63) == 0 ? 0UL : ~0UL << (Columns & 63);

    internal static int WordsFor(int columns) => (int)(((long)columns + 63) >> 6);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckIndex(int row, int column)
    {
        CheckRow(row);
        if ((uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"Column must be in [0, {Columns}).");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Rows}).");
        }
    }
}
