namespace Summarizer.Attention.Tests;

public class LayerNormAndActivationTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(4, 384)]
    public void LayerNormMatchesDoubleReference(int rows, int dim)
    {
        var data = new TestData();
        float[] x = data.Floats(rows * dim, 3), gamma = data.Floats(dim), beta = data.Floats(dim);
        var expected = new double[rows * dim];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < dim; i++)
            {
                mean += x[r * dim + i];
            }

            mean /= dim;
            for (int i = 0; i < dim; i++)
            {
                variance += Math.Pow(x[r * dim + i] - mean, 2);
            }

            variance /= dim; // biased, as torch
            for (int i = 0; i < dim; i++)
            {
                expected[r * dim + i] = (x[r * dim + i] - mean) / Math.Sqrt(variance + 1e-5) * gamma[i] + beta[i];
            }
        }

        var y = new float[rows * dim];
        LayerNorm.Forward(x, gamma, beta, y, rows, dim, 1e-5f);
        Check.Close(expected, y, 1e-4, $"seed {data.Seed}");

        LayerNorm.Forward(x, gamma, beta, x, rows, dim, 1e-5f); // in place
        Check.Close(expected, x, 1e-4, $"seed {data.Seed} in place");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(1000)]
    public void GeluTanhMatchesFormula(int n)
    {
        var data = new TestData();
        float[] x = data.Floats(n, 6);
        x[0] = 0;
        double[] expected = x.Select(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))).ToArray();
        var y = new float[n];

        Activations.GeluTanh(x, y);
        Check.Close(expected, y, 1e-5, $"seed {data.Seed}");

        Activations.GeluTanh(x, x); // in place
        Check.Close(expected, x, 1e-5, $"seed {data.Seed} in place");
    }

    [Fact]
    public void SoftmaxOfAllMaskedRowIsZeroAndReportsIt()
    {
        float[] row = [float.NegativeInfinity, float.NegativeInfinity];
        Assert.False(Softmax.Normalize(row));
        Assert.Equal(new float[2], row);

        float[] ok = [1e4f, -1e4f, 0f, float.NegativeInfinity];
        Assert.True(Softmax.Normalize(ok));
        Assert.Equal(new float[] { 1, 0, 0, 0 }, ok);
    }

    [Fact]
    public void MaskBuilders()
    {
        var causal = new float[2 * 3];
        AttentionMask.FillCausal(causal, 2, 3);
        float n = float.NegativeInfinity;
        Assert.Equal(new[] { 0, 0, n, 0, 0, 0 }, causal);

        var padding = new float[3];
        AttentionMask.FillPadding([1L, 1L, 0L], padding);
        Assert.Equal(new[] { 0, 0, n }, padding);
    }
}
