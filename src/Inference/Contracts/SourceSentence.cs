namespace Summarizer.Inference;

/// <summary>One sentence of the input, as <see cref="Text.SentenceSpans"/> splits it.</summary>
/// <param name="Start">Offset of its first character in the input.</param>
/// <param name="End">Offset one past its last character in the input.</param>
/// <param name="Read">False when the model's window ended before the sentence began (a truncated input's tail).</param>
public readonly record struct SourceSentence(int Start, int End, bool Read);
