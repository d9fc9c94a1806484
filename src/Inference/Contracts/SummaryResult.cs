namespace Summarizer.Inference;

/// <summary>A summary, the tokens it was made of and, when asked, what each token attended to.</summary>
public sealed class SummaryResult
{
    /// <summary>The summary as natural text (detokenized, cased).</summary>
    public required string Summary { get; init; }

    /// <summary>The model tokens of the input the decoder saw, with spans in the original input.</summary>
    public required IReadOnlyList<SourceToken> SourceTokens { get; init; }

    /// <summary>The generated tokens, end-of-sequence excluded.</summary>
    public required IReadOnlyList<SummaryToken> SummaryTokens { get; init; }

    /// <summary>The input's sentences, with which ones the model read.</summary>
    public required IReadOnlyList<SourceSentence> SourceSentences { get; init; }

    /// <summary>The summary's sentences, each with the source sentences its copy attention came from (<see cref="SentenceProvenance"/>).</summary>
    public required IReadOnlyList<SummarySentence> Sentences { get; init; }

    /// <summary>How the summary was made.</summary>
    public SummaryMode Mode { get; init; } = SummaryMode.Abstractive;

    /// <summary>Extractive mode: the source sentences taken, in the summary's order; null in abstractive mode.</summary>
    public IReadOnlyList<ExtractedSentence>? Extracted { get; init; }

    /// <summary>
    /// Extractive mode: [summary sentences][source sentences] the selector's last self-attention layer, averaged over heads
    /// (what each taken sentence attended to while being scored; 0 for sentences the model did not read); null otherwise.
    /// </summary>
    public float[][]? SentenceAttention { get; init; }

    /// <summary>Token attention maps; null for <see cref="AttentionDetail.None"/> and in extractive mode (see <see cref="SentenceAttention"/>).</summary>
    public AttentionMaps? Attention { get; init; }

    /// <summary>True when the input was longer than the model's maximum source length and its tail was not read.</summary>
    public required bool Truncated { get; init; }

    /// <summary>How many model tokens the whole input has (the decoder saw at most the model's maximum).</summary>
    public required int InputTokenCount { get; init; }

    /// <summary>The options the summary was generated with, defaults filled in (extractive mode: the model's defaults, unused).</summary>
    public required DecodingOptions Options { get; init; }

    /// <summary>Where the time went.</summary>
    public required SummaryTimings Timings { get; init; }
}
