namespace Summarizer.Attention;

/// <summary>
/// Cross-attention keys and values over one encoder output, computed once per request by
/// <see cref="MultiHeadAttention.ComputeCrossKeyValues"/> and shared by every row (beam) of that source at every step.
/// Storage is allocated once for up to <see cref="SourceCapacity"/> positions and reused across requests. Keys are kept
/// transposed, [heads, d_k, sourceLength], so a step's scores q·Kᵀ run along the source without a horizontal sum per
/// position; values are [heads, sourceLength, d_k].
/// </summary>
public sealed class CrossAttentionKeyValues
{
    private readonly float[] keys;
    private readonly float[] values;

    /// <summary>Allocates storage for sources of up to <paramref name="sourceCapacity"/> positions.</summary>
    /// <param name="headCount">Number of heads.</param>
    /// <param name="headDim">d_k.</param>
    /// <param name="sourceCapacity">Longest source (e.g. max_src_len).</param>
    public CrossAttentionKeyValues(int headCount, int headDim, int sourceCapacity)
    {
        Guard.Positive(headCount, nameof(headCount));
        Guard.Positive(headDim, nameof(headDim));
        Guard.Positive(sourceCapacity, nameof(sourceCapacity));
        HeadCount = headCount;
        HeadDim = headDim;
        SourceCapacity = sourceCapacity;
        keys = new float[(long)headCount * sourceCapacity * headDim];
        values = new float[keys.Length];
    }

    /// <summary>Number of heads.</summary>
    public int HeadCount { get; }

    /// <summary>d_k.</summary>
    public int HeadDim { get; }

    /// <summary>Longest source this object can hold.</summary>
    public int SourceCapacity { get; }

    /// <summary>Positions of the current source (0 until computed).</summary>
    public int SourceLength { get; private set; }

    /// <summary>Keys of one head, transposed: [d_k, SourceLength].</summary>
    /// <param name="head">Head index.</param>
    public ReadOnlySpan<float> KeysTransposed(int head) => keys.AsSpan(CheckedOffset(head), SourceLength * HeadDim);

    /// <summary>Values of one head: [SourceLength, d_k].</summary>
    public ReadOnlySpan<float> Values(int head) => values.AsSpan(CheckedOffset(head), SourceLength * HeadDim);

    /// <summary>Sets the source length and exposes the writable key [heads, d_k, sourceLength] and value [heads, sourceLength, d_k] storage.</summary>
    internal void Prepare(int sourceLength, out Span<float> keySpan, out Span<float> valueSpan)
    {
        if (sourceLength < 1 || sourceLength > SourceCapacity)
        {
            throw new ArgumentException($"The source length must be in [1, {SourceCapacity}] but was {sourceLength}.", nameof(sourceLength));
        }

        SourceLength = sourceLength;
        int size = HeadCount * sourceLength * HeadDim;
        keySpan = keys.AsSpan(0, size);
        valueSpan = values.AsSpan(0, size);
    }

    private int CheckedOffset(int head)
    {
        if ((uint)head >= (uint)HeadCount)
        {
            throw new ArgumentOutOfRangeException(nameof(head), head, $"There are {HeadCount} heads.");
        }

        return head * SourceLength * HeadDim;
    }
}
