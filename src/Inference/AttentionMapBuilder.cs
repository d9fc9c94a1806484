using Summarizer.Inference.Decoding;

namespace Summarizer.Inference;

/// <summary>The search's flat attention rows reshaped into the API's <see cref="AttentionMaps"/>.</summary>
internal static class AttentionMapBuilder
{
    /// <summary>
    /// Copy attention [T, S] → <c>Weights[t][s]</c>; with <paramref name="full"/>, the layers' [T, layers, heads, S] →
    /// <c>Layers[layer][head][t][s]</c> (T = summary tokens, S = <paramref name="sourceLength"/>).
    /// </summary>
    public static AttentionMaps Build(SearchResult search, int sourceLength, bool full, ModelConfig model)
    {
        var count = search.Tokens.Length;
        var weights = new float[count][];
        for (var t = 0; t < count; t++)
            weights[t] = search.CopyAttention.AsSpan(t * sourceLength, sourceLength).ToArray();
        float[][][][]? layers = null;
        if (full && search.LayerAttention is { } layered)
        {
            int layerCount = model.DecoderLayers, heads = model.HeadCount;
            layers = new float[layerCount][][][];
            for (var l = 0; l < layerCount; l++)
            {
                layers[l] = new float[heads][][];
                for (var h = 0; h < heads; h++)
                {
                    layers[l][h] = new float[count][];
                    for (var t = 0; t < count; t++)
                        layers[l][h][t] = layered.AsSpan(((t * layerCount + l) * heads + h) * sourceLength, sourceLength).ToArray();
                }
            }
        }
        return new AttentionMaps { Weights = weights, Layers = layers };
    }
}
