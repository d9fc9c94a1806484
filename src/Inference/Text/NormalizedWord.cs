namespace Summarizer.Inference.Text;

/// <summary>One lower-cased, PTB-tokenized word of a <see cref="NormalizedText"/>, with the characters of the original input it came from.</summary>
/// <param name="Text">The word in the model's form (lower-cased; curly quotes mapped to <c>"</c> and <c>'</c>).</param>
/// <param name="Start">Offset of its first character in <see cref="NormalizedText.Original"/>.</param>
/// <param name="End">Offset one past its last character in <see cref="NormalizedText.Original"/>.</param>
/// <param name="TextOffset">Offset of its first character in <see cref="NormalizedText.Text"/>.</param>
public readonly record struct NormalizedWord(string Text, int Start, int End, int TextOffset);
