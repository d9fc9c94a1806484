namespace Summarizer.Inference;

/// <summary>What the encoder will read of a text: its model tokens with spans in the input, before any generation.</summary>
/// <param name="Tokens">The model tokens the decoder will see (at most the model's maximum source length).</param>
/// <param name="Truncated">True when the input has more tokens than the model reads.</param>
/// <param name="InputTokenCount">How many model tokens the whole input has.</param>
public sealed record SourceTokenization(IReadOnlyList<SourceToken> Tokens, bool Truncated, int InputTokenCount);
