namespace Summarizer.Inference;

/// <summary>How a summary is made.</summary>
public enum SummaryMode
{
    /// <summary>The decoder writes it, word by word, attending to the source.</summary>
    Abstractive,

    /// <summary>The sentence selector picks source sentences; the summary is their text as written.</summary>
    Extractive,
}
