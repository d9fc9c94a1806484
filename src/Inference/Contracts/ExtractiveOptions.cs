namespace Summarizer.Inference;

/// <summary>What an extractive summary takes.</summary>
/// <param name="SentenceCount">Most sentences (1..<see cref="MaxSentenceCount"/>); fewer when the text has fewer, or when trigram blocking skips a repeat.</param>
/// <param name="Order">The order of the summary's sentences.</param>
public sealed record ExtractiveOptions(int SentenceCount, SentenceOrder Order = SentenceOrder.Offset)
{
    /// <summary>The most sentences a request may ask for.</summary>
    public const int MaxSentenceCount = 20;
}
