namespace Summarizer.Attention;

/// <summary>Fully connected layer on a block of rows, with weights in torch layout.</summary>
public static class Linear
{
    /// <summary>
    /// y = x · Wᵀ + b for a block of rows, as one blocked SIMD matrix × matrix product (each weight row is read once per 4 input rows).
    /// </summary>
    /// <param name="x">[rowCount, inFeatures] input rows.</param>
    /// <param name="weight">[outFeatures, inFeatures] weight W (torch layout).</param>
    /// <param name="bias">[outFeatures] bias b, or empty for none (e.g. the tied output projection).</param>
    /// <param name="y">[rowCount, outFeatures] output; must not overlap <paramref name="x"/>.</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="inFeatures">Input width.</param>
    /// <param name="outFeatures">Output width.</param>
    /// <exception cref="ArgumentException">A span's length does not match its shape.</exception>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int rowCount, int inFeatures, int outFeatures)
    {
        Guard.NonNegative(rowCount, nameof(rowCount));
        Guard.Positive(inFeatures, nameof(inFeatures));
        Guard.Positive(outFeatures, nameof(outFeatures));
        Guard.Shape(x.Length, nameof(x), rowCount, nameof(rowCount), inFeatures, nameof(inFeatures));
        Guard.Shape(weight.Length, nameof(weight), outFeatures, nameof(outFeatures), inFeatures, nameof(inFeatures));
        if (!bias.IsEmpty)
        {
            Guard.Shape(bias.Length, nameof(bias), outFeatures, nameof(outFeatures));
        }

        Guard.Shape(y.Length, nameof(y), rowCount, nameof(rowCount), outFeatures, nameof(outFeatures));
        Gemm.MultiplyTransposed(x, inFeatures, weight, inFeatures, y, outFeatures, rowCount, outFeatures, inFeatures, bias, 1f);
    }
}
