namespace Summarizer.Attention.Tests;

public class LinearTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 384, 37)]
    [InlineData(3, 7, 5)]
    [InlineData(4, 64, 66)]
    [InlineData(5, 17, 3)]
    [InlineData(9, 70, 41)]
    [InlineData(16, 33, 64)]
    public void MatchesDoubleReference(int rows, int inDim, int outDim)
    {
        foreach (bool withBias in new[] { true, false })
        {
            var data = new TestData();
            float[] x = data.Floats(rows * inDim), w = data.Floats(outDim * inDim), b = data.Floats(outDim);
            var y = new float[rows * outDim];

            Linear.Forward(x, w, withBias ? b : default, y, rows, inDim, outDim);

            Check.Close(Reference.Linear(x, w, withBias ? b : null, rows, inDim, outDim), y, 1e-5, $"seed {data.Seed}, bias {withBias}");
        }
    }

    [Fact]
    public void ZeroRowsIsANoOp() => Linear.Forward([], new float[6], [], [], 0, 3, 2);
}
