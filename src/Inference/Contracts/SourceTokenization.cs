using Summarizer.Inference.Text;

namespace Summarizer.Inference;

/// <summary>
/// What the encoder will read of a text: its model tokens with spans in the input. Made once by
/// <see cref="ISummarizer.TokenizeSource"/> and passed to <see cref="ISummarizer.Summarize(SourceTokenization, DecodingOptions, AttentionDetail, Action{StreamedToken}?, CancellationToken)"/>,
/// so a stream can announce the tokens before generation without tokenizing the text twice.
/// </summary>
public sealed record SourceTokenization
{
    internal SourceTokenization(NormalizedText normalized, int[] ids, SourceToken[] tokens, int sourceLength, double tokenizeMs)
    {
        Normalized = normalized;
        AllIds = ids;
        Tokens = tokens[..sourceLength];
        InputTokenCount = ids.Length;
        TokenizeMs = tokenizeMs;
        UnreadStart = sourceLength < tokens.Length ? tokens[sourceLength].Start : -1;
    }

    /// <summary>The model tokens the decoder will see (at most the model's maximum source length).</summary>
    public IReadOnlyList<SourceToken> Tokens { get; }

    /// <summary>True when the input has more tokens than the model reads.</summary>
    public bool Truncated => InputTokenCount > Tokens.Count;

    /// <summary>How many model tokens the whole input has.</summary>
    public int InputTokenCount { get; }

    // What the summarizer needs again: the words with their spans (output casing, detokenizing) and every id.
    internal NormalizedText Normalized { get; }

    internal int[] AllIds { get; }

    internal double TokenizeMs { get; }

    // Where the first token past the model's window starts (−1 when the whole input is read): a word it continues was cut.
    internal int UnreadStart { get; }
}
