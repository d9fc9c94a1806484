using System.Numerics.Tensors;
using Summarizer.Attention;

namespace Summarizer.Inference.Decoder;

/// <summary>
/// The native decoder: the decoder half of training/model.py, one step at a time with a KV cache (docs/DESIGN.md "Model").
/// Reads top to bottom as the math: embeddings + learned positions; per layer LN1 → masked self-attention,
/// LN2 → cross-attention over the encoder memory, LN3 → FFN (GELU tanh), each added to the residual stream;
/// final LN; tied output projection; pointer-generator copy mixing. Immutable and thread-safe; per-request state lives
/// in <see cref="DecoderState"/>.
/// </summary>
public sealed class TransformerDecoder
{
    private readonly DecoderWeights _w;
    private readonly MultiHeadAttention[] _selfAttention;
    private readonly MultiHeadAttention[] _crossAttention;
    private readonly PackedLinear[] _fc1, _fc2;     // FFN weights repacked for streaming (PackedLinear)
    private readonly PackedLinear _outputProjection; // E repacked: the tied h·Eᵀ is the largest product of a step

    /// <summary>Wraps loaded weights (and repacks the FFN and output projection weights: a second copy of E).</summary>
    public TransformerDecoder(DecoderWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _w = weights;
        _selfAttention = weights.Layers.Select(l => new MultiHeadAttention(l.SelfAttention)).ToArray();
        _crossAttention = weights.Layers.Select(l => new MultiHeadAttention(l.CrossAttention)).ToArray();
        var c = weights.Config;
        _fc1 = weights.Layers.Select(l => new PackedLinear(l.Fc1Weight, c.DFf, c.DModel)).ToArray();
        _fc2 = weights.Layers.Select(l => new PackedLinear(l.Fc2Weight, c.DModel, c.DFf)).ToArray();
        _outputProjection = new PackedLinear(weights.Embedding, c.VocabSize, c.DModel);
    }

    /// <summary>The model's sizes.</summary>
    public ModelConfig Config => _w.Config;

    /// <summary>
    /// Allocates a request's state for <paramref name="maxRows"/> rows (the beam width) and computes every layer's
    /// cross-attention keys and values from the encoder memory once.
    /// </summary>
    /// <param name="memory">[S, d_model] encoder output.</param>
    /// <param name="sourceIds">[S] source token ids (the copy mechanism scatters onto them).</param>
    /// <param name="maxRows">Most rows per step.</param>
    /// <param name="captureLayerAttention">Also keep every layer's per-head cross-attention (for full attention maps).</param>
    public DecoderState CreateState(ReadOnlySpan<float> memory, ReadOnlySpan<int> sourceIds, int maxRows, bool captureLayerAttention = false)
    {
        var c = Config;
        if (sourceIds.Length < 1 || sourceIds.Length > c.MaxSourceLength)
            throw new ArgumentException($"The source must have 1..{c.MaxSourceLength} tokens; got {sourceIds.Length}.", nameof(sourceIds));
        if (memory.Length != sourceIds.Length * c.DModel)
            throw new ArgumentException($"memory has {memory.Length} elements, but its shape [S={sourceIds.Length}, d_model={c.DModel}] needs {sourceIds.Length * c.DModel}.", nameof(memory));
        if (maxRows < 1)
            throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "maxRows must be > 0.");
        foreach (var id in sourceIds)
            if ((uint)id >= (uint)c.VocabSize)
                throw new ArgumentException($"Source id {id} is outside the vocabulary (0..{c.VocabSize - 1}).", nameof(sourceIds));

        var state = new DecoderState(this, memory, sourceIds, maxRows, captureLayerAttention);
        for (var l = 0; l < _crossAttention.Length; l++)
            _crossAttention[l].ComputeCrossKeyValues(memory, sourceIds.Length, state.CrossKeyValues[l]);
        return state;
    }

    /// <summary>
    /// One step for every row: row r feeds <paramref name="tokens"/>[r] at <paramref name="position"/>. Writes the state's
    /// log-probs [rows, V], copy attention [rows, S], p_gen [rows] and, when captured, per-layer cross-attention.
    /// A step at position 0 starts the state over (its caches emptied, sized to this step's rows); between steps the caller
    /// may <see cref="DecoderState.Reorder"/> it.
    /// </summary>
    public void Step(DecoderState state, ReadOnlySpan<int> tokens, int position)
    {
        ArgumentNullException.ThrowIfNull(state);
        var c = Config;
        int rows = tokens.Length, d = c.DModel, s = state.SourceLength, heads = c.HeadCount, v = c.VocabSize;
        if (rows < 1 || rows > state.MaxRows)
            throw new ArgumentException($"A step takes 1..{state.MaxRows} tokens (one per row); got {rows}.", nameof(tokens));
        if ((uint)position >= (uint)c.MaxTargetLength)
            throw new ArgumentOutOfRangeException(nameof(position), position, $"The position must be in 0..{c.MaxTargetLength - 1} (max_tgt_len).");
        if (position != 0 && position != state.Caches[0].Length)
            throw new ArgumentException($"The state holds {state.Caches[0].Length} positions; the next step must be at that position (or 0 to start over), not {position}.", nameof(position));
        if (position == 0)
            foreach (var cache in state.Caches)
                cache.Reset(rows);
        else if (rows != state.Caches[0].RowCount)
            throw new ArgumentException($"The state holds {state.Caches[0].RowCount} rows; reorder it before a step with {rows} rows.", nameof(tokens));
        state.RowCount = rows;

        var y = state.X.AsSpan(0, rows * d);
        var h = state.H.AsSpan(0, rows * d);
        var delta = state.Delta.AsSpan(0, rows * d);

        // y = E[token] + Pd[position]                                          (rows, d)
        var pd = _w.Positions.AsSpan(position * d, d);
        for (var r = 0; r < rows; r++)
        {
            var id = tokens[r];
            if ((uint)id >= (uint)v)
                throw new ArgumentOutOfRangeException(nameof(tokens), id, $"Token ids must be in 0..{v - 1}.");
            TensorPrimitives.Add(_w.Embedding.AsSpan(id * d, d), pd, y.Slice(r * d, d));
        }

        for (var l = 0; l < _w.Layers.Length; l++)
        {
            var layer = _w.Layers[l];
            // y = y + MHA(LN1(y), LN1(y), causal)  — the cache holds only the past, so the mask is implicit
            LayerNorm.Forward(y, layer.Ln1Weight, layer.Ln1Bias, h, rows, d, c.NormEps);
            _selfAttention[l].SelfAttentionStep(h, state.Caches[l], state.Workspace, delta);
            TensorPrimitives.Add(y, delta, y);

            // y = y + MHA(LN2(y), memory, pad_mask)  — no padding: one unpadded source per request
            LayerNorm.Forward(y, layer.Ln2Weight, layer.Ln2Bias, h, rows, d, c.NormEps);
            var weights = state.CrossWeights[l].Length == 0 ? default : state.CrossWeights[l].AsSpan(0, rows * heads * s);
            _crossAttention[l].CrossAttention(h, rows, state.CrossKeyValues[l], state.Workspace, delta, default, weights);
            TensorPrimitives.Add(y, delta, y);

            // y = y + FFN(LN3(y)),  FFN(x) = fc2(GELU(fc1(x)))                  (rows, d) → (rows, d_ff) → (rows, d)
            LayerNorm.Forward(y, layer.Ln3Weight, layer.Ln3Bias, h, rows, d, c.NormEps);
            var hidden = state.Hidden.AsSpan(0, rows * c.DFf);
            _fc1[l].Forward(h, layer.Fc1Bias, hidden, rows);
            Activations.GeluTanh(hidden, hidden);
            _fc2[l].Forward(hidden, layer.Fc2Bias, delta, rows);
            TensorPrimitives.Add(y, delta, y);
        }

        // h = LN_f(y)                                                          (rows, d)
        LayerNorm.Forward(y, _w.FinalNormWeight, _w.FinalNormBias, h, rows, d, c.NormEps);
        Output(state, h, rows);
        if (state.LayerAttentionLength > 0)
            GatherLayerAttention(state, rows);
    }

    /// <summary>
    /// The pointer-generator output: P_vocab = softmax(h·Eᵀ); a = mean over heads of the last layer's cross-attention;
    /// c = a·memory; p_gen = sigmoid(w_gen·[h ; c] + b_gen); P(w) = p_gen·P_vocab(w) + (1 − p_gen)·Σ_{j: src_j = w} a_j;
    /// log_probs = log(max(P, 1e-12)).
    /// </summary>
    private void Output(DecoderState state, ReadOnlySpan<float> h, int rows)
    {
        var c = Config;
        int d = c.DModel, s = state.SourceLength, heads = c.HeadCount, v = c.VocabSize;

        // a: (rows, S) = mean_h A_h of the last layer, from weights laid out (rows, heads, S)
        var last = state.CrossWeights[^1];
        var a = state.Copy.AsSpan(0, rows * s);
        for (var r = 0; r < rows; r++)
        {
            var ar = a.Slice(r * s, s);
            last.AsSpan(r * heads * s, s).CopyTo(ar);
            for (var head = 1; head < heads; head++)
                TensorPrimitives.Add(ar, last.AsSpan((r * heads + head) * s, s), ar);
            TensorPrimitives.Divide(ar, heads, ar);
        }

        // c: (rows, d) = a · memory, as a linear layer whose (out, in) weight is memoryᵀ (d, S)
        var context = state.Context.AsSpan(0, rows * d);
        Linear.Forward(a, state.MemoryTransposed, default, context, rows, s, d);

        // logits: (rows, V) = h · Eᵀ (tied, no bias)
        var logProbs = state.LogProbabilities.AsSpan(0, rows * v);
        _outputProjection.Forward(h, default, logProbs, rows);

        var genH = _w.GenWeight.AsSpan(0, d);
        var genC = _w.GenWeight.AsSpan(d, d);
        var copyMass = state.CopyScratch.AsSpan();
        var sourceIds = state.SourceIds;
        for (var r = 0; r < rows; r++)
        {
            var pGen = Sigmoid(TensorPrimitives.Dot(genH, h.Slice(r * d, d)) + TensorPrimitives.Dot(genC, context.Slice(r * d, d)) + _w.GenBias);
            state.Gen[r] = pGen;

            var p = logProbs.Slice(r * v, v);
            Softmax.Normalize(p);
            TensorPrimitives.Multiply(p, pGen, p);

            // Σ_{j: src_j = w} a_j per word first (as torch's scatter_add), then mixed in; the scratch is left zeroed.
            var ar = a.Slice(r * s, s);
            for (var j = 0; j < s; j++)
                copyMass[sourceIds[j]] += ar[j];
            for (var j = 0; j < s; j++)
            {
                var w = sourceIds[j];
                if (copyMass[w] != 0f)
                {
                    p[w] += (1f - pGen) * copyMass[w];
                    copyMass[w] = 0f;
                }
            }

            TensorPrimitives.Max(p, 1e-12f, p);
            TensorPrimitives.Log(p, p);
        }
    }

    // Layered: (rows, layers, heads, S) from per-layer (rows, heads, S)
    private void GatherLayerAttention(DecoderState state, int rows)
    {
        int width = Config.HeadCount * state.SourceLength, layers = _w.Layers.Length;
        for (var r = 0; r < rows; r++)
            for (var l = 0; l < layers; l++)
                state.CrossWeights[l].AsSpan(r * width, width).CopyTo(state.Layered.AsSpan((r * layers + l) * width, width));
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
