namespace Summarizer.Benchmarks;

/// <summary>Set-up guard shared by the scalar-vs-SIMD benchmarks: both arms must compute the same thing, or the ratio means nothing.</summary>
internal static class EquivalenceCheck
{
    /// <summary>Runs <paramref name="scalar"/> then <paramref name="simd"/>, both writing <paramref name="output"/>, and throws where they differ beyond 1e-3 relative.</summary>
    public static void SameOutput(Action scalar, Action simd, float[] output)
    {
        scalar();
        var expected = (float[])output.Clone();
        simd();
        for (var i = 0; i < output.Length; i++)
        {
            if (MathF.Abs(output[i] - expected[i]) > 1e-3f * (1 + MathF.Abs(expected[i])))
                throw new InvalidOperationException($"Scalar and SIMD steps disagree at {i}: {expected[i]} vs {output[i]}.");
        }
    }
}
