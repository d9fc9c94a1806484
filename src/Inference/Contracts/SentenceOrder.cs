namespace Summarizer.Inference;

/// <summary>The order of an extractive summary's sentences.</summary>
public enum SentenceOrder
{
    /// <summary>As they stand in the text (the Azure AI Language extractive summarization default), so the summary reads in order.</summary>
    Offset,

    /// <summary>Best-scored first.</summary>
    Rank,
}
