namespace Summarizer.Inference;

/// <summary>A token as it is generated, for streaming (greedy decoding, or the current best beam).</summary>
/// <param name="Index">0-based position in the summary.</param>
/// <param name="Id">Vocabulary id.</param>
/// <param name="Text">The token's text: the lower-cased WordPiece piece without its <c>##</c>, after a space when it starts a word not joined to the previous one; empty for special tokens.</param>
/// <param name="CopyProbability">1 − p_gen for this token.</param>
/// <param name="Attention">The copy distribution over the source tokens for this token (length = source token count). Valid only during the callback; copy it to keep it.</param>
public readonly record struct StreamedToken(int Index, int Id, string Text, float CopyProbability, ReadOnlyMemory<float> Attention);
