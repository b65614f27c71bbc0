using PhaseRouter.Engine;

namespace PhaseRouter.Kernels;

/// <summary>Bit-matrix transpose by 64×64 blocks, each transposed in registers with the recursive block swap.</summary>
internal static class BitTranspose
{
    public static BitMatrix Transpose(BitMatrix source)
    {
        var result = new BitMatrix(source.Columns, source.Rows);
        int rowBlocks = BitMatrix.WordsFor(source.Rows);
        int colBlocks = source.WordsPerRow;
        ulong[] src = source.RawWords;
        ulong[] dst = result.RawWords;
        int srcWpr = source.WordsPerRow;
        int dstWpr = result.WordsPerRow;
        ParallelRows.For(rowBlocks, (long)rowBlocks * colBlocks * 64, -1, (from, to) =>
        {
            Span<ulong> block = stackalloc ulong[64];
            for (int rb = from; rb < to; rb++)
            {
                int rowCount = Math.Min(64, source.Rows - rb * 64);
                for (int cb = 0; cb < colBlocks; cb++)
                {
                    block.Clear();
                    for (int r = 0; r < rowCount; r++)
                    {
                        block[r] = src[(long)(rb * 64 + r) * srcWpr + cb];
                    }

                    Transpose64(block);
                    int colCount = Math.Min(64, source.Columns - cb * 64);
                    for (int c = 0; c < colCount; c++)
                    {
                        dst[(long)(cb * 64 + c) * dstWpr + rb] = block[c];
                    }
                }
            }
        });
        return result;
    }

    /// <summary>
    /// Transposes a 64×64 bit block in place (bit c of word r is element (r, c)): swaps the off-diagonal
    /// quadrants of size 32, then 16, … 1 (Hacker's Delight, §7-3, for least-significant-bit-first rows).
    /// </summary>
    public static void Transpose64(Span<ulong> a)
    {
        ulong m = 0x00000000FFFFFFFFUL;
        for (int j = 32; j != 0; j >>= 1, m ^= m << j)
        {
            for (int k = 0; k < 64; k = ((k | j) + 1) & ~j)
            {
                ulong t = ((a[k] >> j) ^ a[k | j]) & m;
                a[k] ^= t << j;
                a[k | j] ^= t;
            }
        }
    }
}
