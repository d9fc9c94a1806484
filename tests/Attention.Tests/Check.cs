namespace Summarizer.Attention.Tests;

internal static class Check
{
    /// <summary>Asserts |expected − actual| ≤ tolerance·(1 + |expected|) element-wise, and that actual is finite.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            Assert.True(double.IsFinite(a), $"{context}: element {i} is {a}");
            Assert.True(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e)), $"{context}: element {i} is {a}, expected {e}");
        }
    }

    /// <summary>Weights are ≥ 0 and each row sums to 1 (or is all zero when <paramref name="allowZeroRow"/>).</summary>
    public static void Distribution(ReadOnlySpan<float> weights, int rowLength, string context, bool allowZeroRow = false)
    {
        for (int start = 0; start < weights.Length; start += rowLength)
        {
            double sum = 0;
            foreach (float w in weights.Slice(start, rowLength))
            {
                Assert.True(w >= 0 && float.IsFinite(w), $"{context}: weight {w} in row starting at {start}");
                sum += w;
            }

            Assert.True(Math.Abs(sum - 1) < 1e-5 || (allowZeroRow && sum == 0), $"{context}: row starting at {start} sums to {sum}");
        }
    }
}
