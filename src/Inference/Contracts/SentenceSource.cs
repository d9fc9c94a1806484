namespace Summarizer.Inference;

/// <summary>A source sentence a summary sentence draws on, and how much.</summary>
/// <param name="Index">Its index in <see cref="SummaryResult.SourceSentences"/>.</param>
/// <param name="Start">Offset of its first character in the input.</param>
/// <param name="End">Offset one past its last character in the input.</param>
/// <param name="Share">Its share of the copy attention of the summary sentence's tokens (0..1).</param>
public readonly record struct SentenceSource(int Index, int Start, int End, float Share);
