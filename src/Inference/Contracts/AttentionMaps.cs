namespace Summarizer.Inference;

/// <summary>Cross-attention of the returned hypothesis: one row per summary token, one column per source token.</summary>
public sealed class AttentionMaps
{
    /// <summary>The copy distribution: last decoder layer's cross-attention averaged over heads. Shape [summaryTokens][sourceTokens]; each row sums to 1.</summary>
    public required float[][] Weights { get; init; }

    /// <summary>Every layer and head, present only for <see cref="AttentionDetail.Full"/>. Shape [layer][head][summaryTokens][sourceTokens].</summary>
    public float[][][][]? Layers { get; init; }
}
