namespace Summarizer.Inference.Decoding;

/// <summary>Told about each token as it is chosen (greedy: every token; beam: the best live beam's newest token).</summary>
/// <param name="index">0-based position of the token in its hypothesis.</param>
/// <param name="tokenId">The token.</param>
/// <param name="copyProbability">1 − p_gen for it.</param>
/// <param name="attention">[S] its copy distribution; valid only during the call.</param>
public delegate void TokenCallback(int index, int tokenId, float copyProbability, ReadOnlyMemory<float> attention);
