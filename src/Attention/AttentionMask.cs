namespace Summarizer.Attention;

/// <summary>
/// Builders for additive masks: 0 where a key may be attended, −∞ where it may not.
/// A key whose mask is −∞ gets weight exactly 0; a row whose keys are all −∞ gets all-zero weights and a zero output.
/// </summary>
public static class AttentionMask
{
    /// <summary>The additive value of a masked-out position.</summary>
    public const float Masked = float.NegativeInfinity;

    /// <summary>Fills a causal mask: query i (at position keyCount − queryCount + i) may see keys j ≤ its position.</summary>
    /// <param name="mask">[queryCount, keyCount] output.</param>
    /// <param name="queryCount">Number of query rows (the last queryCount positions of the sequence).</param>
    /// <param name="keyCount">Number of keys.</param>
    public static void FillCausal(Span<float> mask, int queryCount, int keyCount)
    {
        Guard.NonNegative(queryCount, nameof(queryCount));
        Guard.NonNegative(keyCount, nameof(keyCount));
        Guard.Shape(mask.Length, nameof(mask), queryCount, nameof(queryCount), keyCount, nameof(keyCount));
        int offset = keyCount - queryCount;
        for (int i = 0; i < queryCount; i++)
        {
            Span<float> row = mask.Slice(i * keyCount, keyCount);
            int visible = Math.Clamp(offset + i + 1, 0, keyCount);
            row[..visible].Clear();
            row[visible..].Fill(Masked);
        }
    }

    /// <summary>Fills a key padding mask from a token mask (1 = token, 0 = padding, as the encoder's attention_mask).</summary>
    /// <param name="tokenMask">[keyCount] 1 for a real token, 0 for padding.</param>
    /// <param name="mask">[keyCount] output: 0 or −∞.</param>
    public static void FillPadding(ReadOnlySpan<long> tokenMask, Span<float> mask)
    {
        Guard.Shape(mask.Length, nameof(mask), tokenMask.Length, "keyCount");
        for (int j = 0; j < tokenMask.Length; j++)
        {
            mask[j] = tokenMask[j] != 0 ? 0f : Masked;
        }
    }
}
