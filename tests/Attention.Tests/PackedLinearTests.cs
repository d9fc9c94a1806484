namespace Summarizer.Attention.Tests;

public class PackedLinearTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 384, 37)]
    [InlineData(2, 7, 5)]
    [InlineData(3, 64, 33)]
    [InlineData(4, 64, 66)]
    [InlineData(5, 17, 3)]
    [InlineData(8, 70, 16)]
    [InlineData(9, 33, 100)]
    public void MatchesDoubleReference(int rows, int inDim, int outDim)
    {
        foreach (bool withBias in new[] { true, false })
        {
            var data = new TestData();
            float[] x = data.Floats(rows * inDim), w = data.Floats(outDim * inDim), b = data.Floats(outDim);
            var y = new float[rows * outDim];

            new PackedLinear(w, outDim, inDim).Forward(x, withBias ? b : default, y, rows);

            Check.Close(Reference.Linear(x, w, withBias ? b : null, rows, inDim, outDim), y, 1e-5, $"seed {data.Seed}, bias {withBias}");
        }
    }

    [Fact]
    public void AgreesWithLinearOnTheVocabularyProjectionShape()
    {
        var data = new TestData();
        const int rows = 4, inDim = 384, outDim = 1000;
        float[] x = data.Floats(rows * inDim), w = data.Floats(outDim * inDim);
        float[] expected = new float[rows * outDim], actual = new float[rows * outDim];
        var packed = new PackedLinear(w, outDim, inDim);

        Linear.Forward(x, w, default, expected, rows, inDim, outDim);
        packed.Forward(x, default, actual, rows);
        Check.Close(expected.Select(v => (double)v).ToArray(), actual, 1e-5, $"seed {data.Seed}, 4 rows");

        // The first row alone (the one-row kernel) gives the same numbers as inside the block of four.
        var one = new float[outDim];
        packed.Forward(x.AsSpan(0, inDim), default, one, 1);
        Check.Close(expected.AsSpan(0, outDim).ToArray().Select(v => (double)v).ToArray(), one, 1e-5, $"seed {data.Seed}, 1 row");
    }

    [Fact]
    public void ZeroRowsIsANoOp() => new PackedLinear(new float[6], 2, 3).Forward([], [], [], 0);

    [Fact]
    public void RejectsShapesThatDoNotMatch()
    {
        Assert.Throws<ArgumentException>("weight", () => new PackedLinear(new float[5], 2, 3));
        Assert.Throws<ArgumentException>("outFeatures", () => new PackedLinear(new float[6], 0, 3));
        var packed = new PackedLinear(new float[6], 2, 3);
        Assert.Throws<ArgumentException>("x", () => packed.Forward(new float[4], default, new float[2], 1));
        Assert.Throws<ArgumentException>("bias", () => packed.Forward(new float[3], new float[3], new float[2], 1));
        Assert.Throws<ArgumentException>("y", () => packed.Forward(new float[3], default, new float[3], 1));
    }
}
