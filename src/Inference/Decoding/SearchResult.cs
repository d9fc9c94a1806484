namespace Summarizer.Inference.Decoding;

/// <summary>The hypothesis a search returns, with what the model computed when it chose each token.</summary>
/// <param name="Tokens">Generated ids, end-of-sequence excluded.</param>
/// <param name="Score">Greedy: the sum of log-probs. Beam: the normalized score sum / length^length_penalty.</param>
/// <param name="CopyProbability">[tokens] 1 − p_gen for each token.</param>
/// <param name="CopyAttention">[tokens, S] copy distribution for each token, flattened.</param>
/// <param name="LayerAttention">[tokens, layers, heads, S] flattened, or null when not captured.</param>
public sealed record SearchResult(int[] Tokens, double Score, float[] CopyProbability, float[] CopyAttention, float[]? LayerAttention);
