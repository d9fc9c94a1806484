namespace Summarizer.Api.Models;

/// <summary>
/// sentenceAttention: the sentence-level attention map of an extractive summary (absent in abstractive mode and for attention "none").
/// </summary>
/// <param name="Kind">Always "selector": the sentence selector's last self-attention layer, averaged over heads.</param>
/// <param name="Weights">
/// Shape [summarySentences][sourceSentences]: row k is what the k-th taken sentence attended to while it was scored,
/// one weight per sentence of sourceSentences (0 for those the model did not read).
/// </param>
public sealed record SentenceAttentionPayload(string Kind, float[][] Weights);
