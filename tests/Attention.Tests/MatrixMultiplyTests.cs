namespace Summarizer.Attention.Tests;

public class MatrixMultiplyTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 9, 5)]
    [InlineData(4, 20, 33)]
    [InlineData(2, 7, 64)]
    [InlineData(5, 13, 100)]
    public void MatchesDoubleReference(int rows, int inner, int columns)
    {
        var data = new TestData();
        float[] a = data.Floats(rows * inner), b = data.Floats(inner * columns);
        var expected = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                for (int i = 0; i < inner; i++)
                {
                    expected[r * columns + c] += (double)a[r * inner + i] * b[i * columns + c];
                }
            }
        }

        var y = new float[rows * columns];
        y.AsSpan().Fill(float.NaN);
        MatrixMultiply.Forward(a, b, y, rows, inner, columns);
        Check.Close(expected, y, 1e-5, $"seed {data.Seed}");
    }

    [Fact]
    public void NamesTheMismatchedShape()
    {
        var e = Assert.Throws<ArgumentException>(() => MatrixMultiply.Forward(new float[6], new float[5], new float[4], 2, 3, 2));
        Assert.Contains("b has 5 elements", e.Message);
        Assert.Contains("[inner=3, columnCount=2]", e.Message);
    }
}
