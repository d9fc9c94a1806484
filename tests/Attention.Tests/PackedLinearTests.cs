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

    [Theory]
    [InlineData(1, 384, 8000)]
    [InlineData(4, 384, 1536)]
    [InlineData(5, 1536, 384)]
    [InlineData(6, 19, 37)]
    public void HalfStorageGivesTheFloatStorageResultBitForBit(int rows, int inDim, int outDim)
    {
        var data = new TestData();
        // A bundle exported in fp16: every weight exactly a half, including the awkward ones (signed zero, subnormals, the largest).
        float[] w = data.Floats(outDim * inDim, 0.2f).Select(v => (float)(Half)v).ToArray();
        float[] special = [-0f, (float)Half.Epsilon, -(float)Half.Epsilon, 6.1e-5f, (float)Half.MaxValue, (float)Half.MinValue, 1e-6f];
        for (int i = 0; i < special.Length; i++)
        {
            w[i * 7 % w.Length] = (float)(Half)special[i];
        }

        float[] x = data.Floats(rows * inDim), b = data.Floats(outDim);
        var half = new PackedLinear(w, outDim, inDim);
        var full = new PackedLinear(w, outDim, inDim, allowHalfStorage: false);
        Assert.True(half.IsHalfStorage);
        Assert.False(full.IsHalfStorage);
        foreach (bool withBias in new[] { true, false })
        {
            float[] expected = new float[rows * outDim], actual = new float[rows * outDim];
            full.Forward(x, withBias ? b : default, expected, rows);
            half.Forward(x, withBias ? b : default, actual, rows);
            Assert.Equal(expected, actual); // widening is exact and the FMAs run in the same order
        }
    }

    [Fact]
    public void WeightsThatAreNotExactlyHalvesKeepFloatStorage()
    {
        float[] halves = [0.5f, -2f, 0.25f, 1f, 0f, 3f];
        Assert.True(new PackedLinear(halves, 2, 3).IsHalfStorage);
        foreach (float odd in new[] { 0.1f, 1e-9f, 70000f, float.NaN, float.PositiveInfinity })
        {
            float[] w = [.. halves];
            w[4] = odd;
            Assert.False(new PackedLinear(w, 2, 3).IsHalfStorage);
        }
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
