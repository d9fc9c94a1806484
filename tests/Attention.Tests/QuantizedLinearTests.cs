namespace Summarizer.Attention.Tests;

public class QuantizedLinearTests
{
    // Every test holds on every CPU: without AVX-VNNI the layer must refuse to be built, and that is what is checked.
    private static bool Unsupported()
    {
        if (QuantizedLinear.IsSupported)
        {
            return false;
        }

        Assert.Throws<PlatformNotSupportedException>(() => new QuantizedLinear(new float[6], 2, 3));
        return true;
    }

    // The int8 product written out plainly: W per output row and each x row by its own scale, integer sums, then scaled.
    private static float[] IntegerReference(float[] x, float[] w, float[]? b, int rows, int inDim, int outDim)
    {
        var y = new float[rows * outDim];
        for (int r = 0; r < rows; r++)
        {
            var xr = x.AsSpan(r * inDim, inDim);
            float sx = MathF.Abs(xr.ToArray().MaxBy(MathF.Abs)) / 127f;
            for (int o = 0; o < outDim; o++)
            {
                var wo = w.AsSpan(o * inDim, inDim);
                float sw = MathF.Abs(wo.ToArray().MaxBy(MathF.Abs)) / 127f;
                int sum = 0;
                for (int i = 0; i < inDim; i++)
                {
                    int qx = sx == 0 ? 0 : (int)Math.Clamp(MathF.Round(xr[i] * (1f / sx)), -127, 127);
                    int qw = sw == 0 ? 0 : (int)Math.Clamp(MathF.Round(wo[i] / sw), -127, 127);
                    sum += qx * qw;
                }

                float value = sx * sw * sum;
                y[r * outDim + o] = b is null ? value : value + b[o];
            }
        }

        return y;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 384, 37)]
    [InlineData(2, 7, 5)]
    [InlineData(4, 64, 66)]
    [InlineData(5, 17, 3)]
    [InlineData(9, 33, 100)]
    public void The_sums_are_exactly_the_integer_products(int rows, int inDim, int outDim)
    {
        if (Unsupported())
        {
            return;
        }

        var data = new TestData();
        float[] x = data.Floats(rows * inDim), w = data.Floats(outDim * inDim), b = data.Floats(outDim);
        var y = new float[rows * outDim];
        new QuantizedLinear(w, outDim, inDim).Forward(x, b, y, rows);

        var expected = IntegerReference(x, w, b, rows, inDim, outDim);
        // The same integers; only the order of the final float scaling may differ by an ulp.
        Check.Close(expected.Select(v => (double)v).ToArray(), y, 1e-6, $"seed {data.Seed}");
    }

    [Theory]
    [InlineData(1, 384, 800)]
    [InlineData(4, 384, 800)]
    [InlineData(3, 30, 9)]
    public void It_is_within_the_rounding_bound_of_the_float_product(int rows, int inDim, int outDim)
    {
        if (Unsupported())
        {
            return;
        }

        var data = new TestData();
        float[] x = data.Floats(rows * inDim), w = data.Floats(outDim * inDim);
        var y = new float[rows * outDim];
        new QuantizedLinear(w, outDim, inDim).Forward(x, default, y, rows);

        var exact = Reference.Linear(x, w, null, rows, inDim, outDim);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.AsSpan(r * inDim, inDim).ToArray();
            double sx = xr.Max(MathF.Abs) / 127.0;
            for (int o = 0; o < outDim; o++)
            {
                var wo = w.AsSpan(o * inDim, inDim).ToArray();
                double sw = wo.Max(MathF.Abs) / 127.0;
                // |x̂ŵ − xw| ≤ |x|·sw/2 + |w|·sx/2 + sx·sw/4 per input, rounding to the nearest step on each side.
                double bound = xr.Sum(v => Math.Abs(v)) * sw / 2 + wo.Sum(v => Math.Abs(v)) * sx / 2 + inDim * sx * sw / 4;
                double error = Math.Abs(y[r * outDim + o] - exact[r * outDim + o]);
                Assert.True(error <= bound * 1.01 + 1e-5, $"row {r}, output {o}: error {error} over the bound {bound} (seed {data.Seed})");
            }
        }
    }

    [Fact]
    public void A_zero_row_gives_the_bias()
    {
        if (Unsupported())
        {
            return;
        }

        var data = new TestData();
        float[] w = data.Floats(10 * 12), b = data.Floats(10);
        var y = new float[2 * 10];
        var x = new float[2 * 12];
        data.Floats(12).CopyTo(x, 12);
        new QuantizedLinear(w, 10, 12).Forward(x, b, y, 2);
        Assert.Equal(b, y[..10]);
        Assert.NotEqual(b, y[10..]);
    }

    [Fact]
    public void Forward_allocates_nothing()
    {
        if (Unsupported())
        {
            return;
        }

        var data = new TestData();
        var layer = new QuantizedLinear(data.Floats(64 * 40), 64, 40);
        float[] x = data.Floats(5 * 40), y = new float[5 * 64];
        layer.Forward(x, default, y, 5);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            layer.Forward(x, default, y, 5);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Bad_shapes_and_values_are_refused()
    {
        if (Unsupported())
        {
            return;
        }

        Assert.Throws<ArgumentException>(() => new QuantizedLinear(new float[5], 2, 3));
        Assert.Throws<ArgumentException>(() => new QuantizedLinear([1f, float.NaN, 0f, 1f, 2f, 3f], 2, 3));
        var layer = new QuantizedLinear(new float[6], 2, 3);
        Assert.Throws<ArgumentException>(() => layer.Forward(new float[4], default, new float[2], 1));
        Assert.Throws<ArgumentException>(() => layer.Forward(new float[3], new float[3], new float[2], 1));
        Assert.Throws<ArgumentException>(() => layer.Forward(new float[3], default, new float[3], 1));
    }
}
