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

    /// <summary>Attention maps; null for <see cref="AttentionDetail.None"/>.</summary>
    public AttentionMaps? Attention { get; init; }

    /// <summary>True when the input was longer than the model's maximum source length and its tail was not read.</summary>
    public required bool Truncated { get; init; }

    /// <summary>How many model tokens the whole input has (the decoder saw at most the model's maximum).</summary>
    public required int InputTokenCount { get; init; }

    /// <summary>The options the summary was generated with, defaults filled in.</summary>
    public required DecodingOptions Options { get; init; }

    /// <summary>Where the time went.</summary>
    public required SummaryTimings Timings { get; init; }
}
