namespace Summarizer.Attention;

/// <summary>
/// Dot-product attention for a block of query rows: A = softmax(Q·Kᵀ·s + mask), output = A·V,
/// with s = 1/√d_k (scaled) or 1 (unscaled).
/// </summary>
/// <remarks>
/// Masks are additive (0 = allowed, −∞ = masked). A masked key gets weight exactly 0. A fully masked row
/// (every key −∞, or a causal row that precedes every key) gets all-zero weights and a zero output.
/// </remarks>
public static class DotProductAttention
{
    /// <summary>Computes attention for <paramref name="queryCount"/> query rows over <paramref name="keyCount"/> keys.</summary>
    /// <param name="q">[queryCount, keyDim] queries.</param>
    /// <param name="k">[keyCount, keyDim] keys.</param>
    /// <param name="v">[keyCount, valueDim] values.</param>
    /// <param name="output">[queryCount, valueDim] result.</param>
    /// <param name="queryCount">Number of query rows (may be 0).</param>
    /// <param name="keyCount">Number of keys (may be 0: every row is then fully masked).</param>
    /// <param name="keyDim">d_k, the width of q and k.</param>
    /// <param name="valueDim">d_v, the width of v.</param>
    /// <param name="mask">Additive mask: empty, [keyCount] (same for every row, e.g. padding) or [queryCount, keyCount].</param>
    /// <param name="weights">[queryCount, keyCount] receives the attention weights, or empty when not needed.</param>
    /// <param name="scaled">Divide logits by √d_k (default) or not.</param>
    /// <param name="causal">Also hide the future: query i sits at position keyCount − queryCount + i and sees keys j ≤ that position.</param>
    /// <exception cref="ArgumentException">A span's length does not match its shape.</exception>
    public static void Forward(
        ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        int queryCount, int keyCount, int keyDim, int valueDim,
        ReadOnlySpan<float> mask = default, Span<float> weights = default, bool scaled = true, bool causal = false)
    {
        Guard.NonNegative(queryCount, nameof(queryCount));
        Guard.NonNegative(keyCount, nameof(keyCount));
        Guard.Positive(keyDim, nameof(keyDim));
        Guard.Positive(valueDim, nameof(valueDim));
        Guard.Shape(q.Length, nameof(q), queryCount, nameof(queryCount), keyDim, nameof(keyDim));
        Guard.Shape(k.Length, nameof(k), keyCount, nameof(keyCount), keyDim, nameof(keyDim));
        Guard.Shape(v.Length, nameof(v), keyCount, nameof(keyCount), valueDim, nameof(valueDim));
        Guard.Shape(output.Length, nameof(output), queryCount, nameof(queryCount), valueDim, nameof(valueDim));
        Guard.Mask(mask.Length, nameof(mask), queryCount, keyCount);
        Guard.OptionalShape(weights.Length, nameof(weights), queryCount, nameof(queryCount), keyCount, nameof(keyCount));

        Span<float> scores = weights.IsEmpty ? Scratch.Get(queryCount * keyCount) : weights;
        float scale = scaled ? 1f / MathF.Sqrt(keyDim) : 1f;

        // (queryCount, keyCount) logits: one blocked product instead of queryCount·keyCount separate dot products.
        Gemm.MultiplyTransposed(q, keyDim, k, keyDim, scores, keyCount, queryCount, keyCount, keyDim, default, scale);
        int offset = keyCount - queryCount;
        for (int i = 0; i < queryCount; i++)
        {
            Span<float> row = scores.Slice(i * keyCount, keyCount);
            ApplyMask(row, mask, i);
            if (causal)
            {
                row[Math.Clamp(offset + i + 1, 0, keyCount)..].Fill(AttentionMask.Masked);
            }

            Softmax.Normalize(row);
        }

        // (queryCount, valueDim) = A · V
        if (keyCount == 0)
        {
            output.Clear();
            return;
        }

        Gemm.Multiply(scores, keyCount, v, valueDim, output, valueDim, queryCount, keyCount, valueDim);
    }

    /// <summary>Adds row <paramref name="row"/> of a mask that is empty, [keyCount] or [queryCount, keyCount].</summary>
    internal static void ApplyMask(Span<float> logits, ReadOnlySpan<float> mask, int row)
    {
        if (mask.IsEmpty)
        {
            return;
        }

        int keyCount = logits.Length;
        ReadOnlySpan<float> m = mask.Length == keyCount ? mask : mask.Slice(row * keyCount, keyCount);
        System.Numerics.Tensors.TensorPrimitives.Add(logits, m, logits);
    }
}
