using System.Numerics.Tensors;

namespace Summarizer.Attention;

/// <summary>Layer normalization over the last dimension: (x − mean) / sqrt(var + eps) · γ + β, with the biased variance (as torch).</summary>
public static class LayerNorm
{
    /// <summary>Normalizes each row of <paramref name="x"/> into <paramref name="y"/> (which may be the same memory as x).</summary>
    /// <param name="x">[rowCount, dim] input rows.</param>
    /// <param name="gamma">[dim] scale γ.</param>
    /// <param name="beta">[dim] shift β.</param>
    /// <param name="y">[rowCount, dim] output.</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="dim">Row width.</param>
    /// <param name="eps">Added to the variance (DESIGN.md: norm_eps, 1e-5).</param>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        int rowCount, int dim, float eps)
    {
        Guard.NonNegative(rowCount, nameof(rowCount));
        Guard.Positive(dim, nameof(dim));
        Guard.Shape(x.Length, nameof(x), rowCount, nameof(rowCount), dim, nameof(dim));
        Guard.Shape(gamma.Length, nameof(gamma), dim, nameof(dim));
        Guard.Shape(beta.Length, nameof(beta), dim, nameof(dim));
        Guard.Shape(y.Length, nameof(y), rowCount, nameof(rowCount), dim, nameof(dim));

        for (int r = 0; r < rowCount; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * dim, dim);
            Span<float> yr = y.Slice(r * dim, dim);
            float mean = TensorPrimitives.Sum(xr) / dim;
            TensorPrimitives.Subtract(xr, mean, yr);
            float variance = TensorPrimitives.SumOfSquares(yr) / dim;
            TensorPrimitives.Multiply(yr, 1f / MathF.Sqrt(variance + eps), yr);
            TensorPrimitives.FusedMultiplyAdd(yr, gamma, beta, yr);
        }
    }
}
