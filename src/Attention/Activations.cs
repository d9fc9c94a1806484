using System.Numerics.Tensors;

namespace Summarizer.Attention;

/// <summary>Element-wise activations over spans.</summary>
public static class Activations
{
    private const int Chunk = 256; // stack scratch per chunk, so x and y may be the same memory
    private static readonly float GeluScale = MathF.Sqrt(2f / MathF.PI);

    /// <summary>GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). <paramref name="y"/> may be the same memory as <paramref name="x"/>.</summary>
    /// <param name="x">[n] input.</param>
    /// <param name="y">[n] output.</param>
    public static void GeluTanh(ReadOnlySpan<float> x, Span<float> y)
    {
        Guard.Shape(y.Length, nameof(y), x.Length, "n");
        Span<float> t = stackalloc float[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            ReadOnlySpan<float> xc = x.Slice(start, n);
            Span<float> tc = t[..n];
            TensorPrimitives.Multiply(xc, xc, tc);                 // x²
            TensorPrimitives.Multiply(tc, 0.044715f, tc);
            TensorPrimitives.Add(tc, 1f, tc);                      // 1 + 0.044715·x²
            TensorPrimitives.Multiply(tc, xc, tc);                 // x + 0.044715·x³
            TensorPrimitives.Multiply(tc, GeluScale, tc);
            TensorPrimitives.Tanh(tc, tc);
            TensorPrimitives.AddMultiply(tc, 1f, xc, y.Slice(start, n)); // (1 + tanh)·x
            TensorPrimitives.Multiply(y.Slice(start, n), 0.5f, y.Slice(start, n));
        }
    }
}
