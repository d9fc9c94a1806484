namespace Summarizer.Inference;

/// <summary>One model token of the input, with its character span [Start, End) in the original text.</summary>
/// <param name="Text">The original text the token covers (input[Start..End]).</param>
/// <param name="Start">Offset of its first character in the original input.</param>
/// <param name="End">Offset one past its last character in the original input.</param>
public readonly record struct SourceToken(string Text, int Start, int End);
