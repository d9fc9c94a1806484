namespace Summarizer.Inference;

/// <summary>One sentence of the summary and the source sentences it came from.</summary>
/// <param name="Start">Offset of its first character in <see cref="SummaryResult.Summary"/>.</param>
/// <param name="End">Offset one past its last character in <see cref="SummaryResult.Summary"/>.</param>
/// <param name="Sources">
/// The source sentences holding the most of its tokens' copy attention (what the decoder read while writing it), largest
/// share first: every one with at least <see cref="SentenceProvenance.MinShare"/>, at most <see cref="SentenceProvenance.MaxSources"/>, never none.
/// </param>
public sealed record SummarySentence(int Start, int End, IReadOnlyList<SentenceSource> Sources);
