using System.Numerics.Tensors;
using Summarizer.Attention;
using Summarizer.Inference.Decoder;

namespace Summarizer.Benchmarks;

/// <summary>
/// The native step's stages one at a time, for the roofline (<see cref="DecoderStepRoundRobin"/>): the same kernels
/// <see cref="TransformerDecoder"/> runs (packed attention projections, <see cref="PackedLinear"/> FFN and shortlist
/// projection, LayerNorm after each block) on the same weights and shapes, built here because the decoder keeps them
/// private. Each method runs one stage for every layer; the self-attention cache is rewound after each call, so every
/// call is the step at the same position. Allocates nothing per call.
/// </summary>
internal sealed class DecoderStageReplica
{
    private readonly DecoderWeights _weights;
    private readonly MultiHeadAttention[] _self, _cross;
    private readonly PackedLinear[] _fc1, _fc2;
    private readonly PackedLinear _output;
    private readonly KeyValueCache[] _caches;
    private readonly CrossAttentionKeyValues[] _crossKeyValues;
    private readonly AttentionWorkspace _workspace;
    private readonly float[] _y, _delta, _hidden, _crossWeights, _logits;
    private readonly int _rows, _position, _d;
    private readonly float _eps;

    /// <summary>Builds the kernels, a cache of <paramref name="position"/> random positions and the source's cross K/V.</summary>
    public DecoderStageReplica(DecoderWeights weights, float[] memory, int sourceLength, int rows, int position, float normEps)
    {
        _weights = weights;
        (_rows, _position, _eps) = (rows, position, normEps);
        _d = weights.EmbeddingNormWeight.Length;
        int heads = weights.Layers[0].SelfAttention.HeadCount, headDim = _d / heads, ff = weights.Layers[0].Fc1Bias.Length;
        _self = weights.Layers.Select(l => new MultiHeadAttention(l.SelfAttention, packForSteps: true)).ToArray();
        _cross = weights.Layers.Select(l => new MultiHeadAttention(l.CrossAttention, packForSteps: true)).ToArray();
        _fc1 = weights.Layers.Select(l => new PackedLinear(l.Fc1Weight, ff, _d)).ToArray();
        _fc2 = weights.Layers.Select(l => new PackedLinear(l.Fc2Weight, _d, ff)).ToArray();
        _output = new PackedLinear(weights.OutWeight, weights.OutBias.Length, _d);
        var random = new Random(rows);
        float[] Floats(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        _caches = new KeyValueCache[weights.Layers.Length];
        _crossKeyValues = new CrossAttentionKeyValues[weights.Layers.Length];
        for (var l = 0; l < _caches.Length; l++)
        {
            _caches[l] = new KeyValueCache(rows, heads, headDim, weights.Positions.Length / _d); // max_tgt_len, as the decoder's
            _caches[l].Reset(rows);
            for (var t = 0; t < position; t++)
                _caches[l].Append(Floats(rows * _d), Floats(rows * _d));
            _crossKeyValues[l] = new CrossAttentionKeyValues(heads, headDim, sourceLength);
            _cross[l].ComputeCrossKeyValues(memory, sourceLength, _crossKeyValues[l]);
        }
        _workspace = new AttentionWorkspace(_d, heads, rows, Math.Max(sourceLength, position + 1));
        _y = Floats(rows * _d);
        _delta = new float[rows * _d];
        _hidden = new float[rows * ff];
        _crossWeights = new float[rows * heads * sourceLength];
        _logits = new float[rows * weights.OutBias.Length];
    }

    /// <summary>y = LN1(y + self-attention(y)) over the cache, every layer (the cache rewound after).</summary>
    public float SelfAttention()
    {
        for (var l = 0; l < _self.Length; l++)
        {
            _self[l].SelfAttentionStep(_y, _caches[l], _workspace, _delta);
            _caches[l].Truncate(_position);
            AddAndNormalize(_weights.Layers[l].Ln1Weight, _weights.Layers[l].Ln1Bias);
        }
        return _y[0];
    }

    /// <summary>y = LN2(y + cross-attention(y, memory)), every layer; the last layer writes its weights (the copy attention).</summary>
    public float CrossAttention()
    {
        for (var l = 0; l < _cross.Length; l++)
        {
            _cross[l].CrossAttention(_y, _rows, _crossKeyValues[l], _workspace, _delta, default, l == _cross.Length - 1 ? _crossWeights : default);
            AddAndNormalize(_weights.Layers[l].Ln2Weight, _weights.Layers[l].Ln2Bias);
        }
        return _y[0];
    }

    /// <summary>y = LN3(y + fc2(GELU(fc1(y)))), every layer.</summary>
    public float FeedForward()
    {
        for (var l = 0; l < _fc1.Length; l++)
        {
            var layer = _weights.Layers[l];
            _fc1[l].Forward(_y, layer.Fc1Bias, _hidden, _rows);
            Activations.GeluTanh(_hidden, _hidden);
            _fc2[l].Forward(_hidden, layer.Fc2Bias, _delta, _rows);
            AddAndNormalize(layer.Ln3Weight, layer.Ln3Bias);
        }
        return _y[0];
    }

    /// <summary>The shortlist logits h·W_outᵀ + b_out.</summary>
    public float OutputProjection()
    {
        _output.Forward(_y, _weights.OutBias, _logits, _rows);
        return _logits[0];
    }

    private void AddAndNormalize(float[] gamma, float[] beta)
    {
        TensorPrimitives.Add(_y, _delta, _y);
        LayerNorm.Forward(_y, gamma, beta, _y, _rows, _d, _eps);
    }
}
