namespace Summarizer.Inference;

/// <summary>A source sentence an extractive summary took.</summary>
/// <param name="Index">Its index in <see cref="SummaryResult.SourceSentences"/>.</param>
/// <param name="Start">Offset of its first character in the input.</param>
/// <param name="End">Offset one past its last character in the input.</param>
/// <param name="Score">The selector's probability that it belongs in the summary (0..1).</param>
/// <param name="Rank">1 for the best-scored sentence taken, 2 for the next, ...</param>
public readonly record struct ExtractedSentence(int Index, int Start, int End, float Score, int Rank);
