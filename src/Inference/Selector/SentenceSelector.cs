using System.Numerics.Tensors;
using Summarizer.Attention;

namespace Summarizer.Inference.Selector;

/// <summary>
/// The sentence selector over the encoder's memory, training/selector.py term for term:
/// <code>
///   p_j   = Σ_{t ∈ j} α_t m_t,  α = softmax_t(vᵀ tanh(W_q u + W_k m_t + b))   (additive pooling, learned query u)
///   x̄_j   = mean_{t ∈ j} m_t
///   h_j^0 = W_in [p_j ; x̄_j] + b_in + P[min(j, N_max − 1)]
///   h^l   = LN2(h' + FFN(h')),  h' = LN1(h + MHA(h, h))                          (post-LN, as the decoder's layers)
///   z_j   = wᵀ h_j^L + c
/// </code>
/// Immutable and safe to call from many threads.
/// </summary>
public sealed class SentenceSelector
{
    private readonly SentenceSelectorWeights _w;
    private readonly AdditiveAttention _pool;
    private readonly MultiHeadAttention[] _attention;

    /// <summary>Wraps loaded weights.</summary>
    public SentenceSelector(SentenceSelectorWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _w = weights;
        var c = weights.Config;
        _pool = new AdditiveAttention(c.DMemory, c.DMemory, c.DAttention, weights.PoolQueryWeight, weights.PoolKeyWeight, weights.PoolBias, weights.PoolScore);
        _attention = weights.Layers.Select(l => new MultiHeadAttention(l.SelfAttention)).ToArray();
    }

    /// <summary>The sizes.</summary>
    public SelectorConfig Config => _w.Config;

    /// <summary>
    /// Scores each sentence: the logit that it belongs in the summary, and the last layer's self-attention averaged over
    /// heads (row i: what sentence i attended to).
    /// </summary>
    /// <param name="memory">[S, d_mem] the encoder's memory.</param>
    /// <param name="sourceLength">S.</param>
    /// <param name="sentences">Each sentence's tokens, in order, non-empty, within [0, S).</param>
    /// <returns>Scores [N] and attention [N, N], row-major.</returns>
    public (float[] Scores, float[] Attention) Score(ReadOnlySpan<float> memory, int sourceLength, IReadOnlyList<SentenceTokenRange> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var c = _w.Config;
        int m = c.DMemory, d = c.DModel, n = sentences.Count, heads = c.HeadCount;
        if (memory.Length != sourceLength * m)
            throw new ArgumentException($"memory has {memory.Length} values; [S={sourceLength}, d_mem={m}] needs {sourceLength * m}.", nameof(memory));
        foreach (var r in sentences)
            if (r.TokenStart < 0 || r.TokenEnd > sourceLength || r.TokenEnd <= r.TokenStart)
                throw new ArgumentException($"sentence {r.Sentence} has tokens [{r.TokenStart}, {r.TokenEnd}) outside [0, {sourceLength}) or none.", nameof(sentences));
        if (n == 0)
            return ([], []);

        // p_j: one query u per sentence, masked to its own tokens.
        var queries = new float[n * m];
        var mask = new float[n * sourceLength];
        var features = new float[n * 2 * m]; // [p_j ; x̄_j]
        for (var j = 0; j < n; j++)
        {
            _w.PoolQuery.CopyTo(queries.AsSpan(j * m, m));
            var row = mask.AsSpan(j * sourceLength, sourceLength);
            row.Fill(float.NegativeInfinity);
            row[sentences[j].TokenStart..sentences[j].TokenEnd].Clear();
        }
        var projectedKeys = new float[sourceLength * c.DAttention];
        _pool.ProjectKeys(memory, sourceLength, projectedKeys);
        var pooled = new float[n * m];
        _pool.Forward(queries, n, projectedKeys, memory, sourceLength, m, pooled, mask);
        for (var j = 0; j < n; j++)
        {
            var (_, start, end) = sentences[j];
            var f = features.AsSpan(j * 2 * m, 2 * m);
            pooled.AsSpan(j * m, m).CopyTo(f);
            var mean = f[m..];
            for (var t = start; t < end; t++)
                TensorPrimitives.Add(mean, memory.Slice(t * m, m), mean);
            TensorPrimitives.Multiply(mean, 1f / (end - start), mean);
        }

        // h^0 = W_in [p ; x̄] + b_in + P[min(j, N_max − 1)]
        var h = new float[n * d];
        Linear.Forward(features, _w.ProjWeight, _w.ProjBias, h, n, 2 * m, d);
        for (var j = 0; j < n; j++)
            TensorPrimitives.Add(h.AsSpan(j * d, d), _w.Positions.AsSpan(Math.Min(j, c.MaxSentences - 1) * d, d), h.AsSpan(j * d, d));

        var a = new float[n * d];
        var hidden = new float[n * c.FeedForwardDim];
        var weights = new float[n * heads * n];
        for (var l = 0; l < _attention.Length; l++)
        {
            var layer = _w.Layers[l];
            var last = l == _attention.Length - 1;
            // h = LN1(h + MHA(h, h))
            _attention[l].Forward(h, n, h, n, a, weights: last ? weights : default);
            TensorPrimitives.Add(h, a, h);
            LayerNorm.Forward(h, layer.Ln1Weight, layer.Ln1Bias, h, n, d, c.NormEps);
            // h = LN2(h + fc2(gelu(fc1(h))))
            Linear.Forward(h, layer.Fc1Weight, layer.Fc1Bias, hidden, n, d, c.FeedForwardDim);
            Activations.GeluTanh(hidden, hidden);
            Linear.Forward(hidden, layer.Fc2Weight, layer.Fc2Bias, a, n, c.FeedForwardDim, d);
            TensorPrimitives.Add(h, a, h);
            LayerNorm.Forward(h, layer.Ln2Weight, layer.Ln2Bias, h, n, d, c.NormEps);
        }

        // z_j = wᵀ h_j + c; the map averages the last layer's heads.
        var scores = new float[n];
        for (var j = 0; j < n; j++)
            scores[j] = TensorPrimitives.Dot(h.AsSpan(j * d, d), _w.ScoreWeight) + _w.ScoreBias;
        var attention = new float[n * n];
        for (var i = 0; i < n; i++)
            for (var head = 0; head < heads; head++)
                TensorPrimitives.Add(attention.AsSpan(i * n, n), weights.AsSpan((i * heads + head) * n, n), attention.AsSpan(i * n, n));
        TensorPrimitives.Multiply(attention, 1f / heads, attention);
        return (scores, attention);
    }
}
