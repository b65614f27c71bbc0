using FsCheck.Xunit;
using PhaseRouter.Core.Tests.Reference;

namespace PhaseRouter.Core.Tests.Matrices;

public class BitMatrixTests
{
    [Property(MaxTest = 100)]
    public void DenseFactories_PackedRoundTrip_DegreesAndTranspose_AgreeWithDenseArrays(int seed)
    {
        var rng = new Random(seed);
        bool[,] dense = Problem.RandomMatrix(rng, rng.Next(0, 150), rng.Next(0, 150));
        int rows = dense.GetLength(0), columns = dense.GetLength(1);
        BitMatrix m = BitMatrix.FromDense(dense);
        Assert.Equal(m, BitMatrix.FromDense(Problem.ToBytes(dense)));
        Assert.Equal(m, BitMatrix.FromPackedRows(rows, columns, m.Words));
        Assert.Equal(Problem.Degrees(dense), m.RowDegrees());
        BitMatrix t = m.Transpose();
        Assert.Equal((columns, rows), (t.Rows, t.Columns));
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(Enumerable.Range(0, columns).Count(c => dense[r, c]), m.RowDegree(r));
            for (int c = 0; c < columns; c++)
            {
                Assert.Equal(dense[r, c], m[r, c]);
                Assert.Equal(dense[r, c], t[c, r]);
            }
        }
    }

    [Fact]
    public void Indexer_SetsAndClearsOneBit()
    {
        var m = new BitMatrix(3, 130);
        m[1, 129] = true;
        m[1, 64] = true;
        m[1, 64] = false;
        Assert.True(m[1, 129]);
        Assert.False(m[1, 64]);
        Assert.Equal(1, m.RowDegree(1));
        Assert.Equal(1, m.CountOnes());
    }

    [Fact]
    public void ToString_ShowsSmallMatricesAndSummarisesLargeOnes()
    {
        BitMatrix m = BitMatrix.FromDegrees([2, 0, 3], 3);
        Assert.Equal("BitMatrix 3×3, 5 ones\n110\n000\n111", m.ToString().ReplaceLineEndings("\n"));
        Assert.Equal("BitMatrix 100×100, 0 ones", new BitMatrix(100, 100).ToString());
    }
}
