using System.Numerics.Tensors;
using Summarizer.Attention;

namespace Summarizer.Inference.Decoder;

/// <summary>
/// The native decoder: training/model.py's decoder, one step at a time with a KV cache (docs/DESIGN.md "Decoder").
/// Reads top to bottom as the math, post-LayerNorm as BERT: LN_emb(E[token] + P[position]); per layer
/// y = LN1(y + masked self-attention), y = LN2(y + cross-attention over the encoder memory), y = LN3(y + FFN) with GELU
/// tanh; logits over the generation shortlist; pointer-generator copy mixing into the full vocabulary. Immutable and
/// thread-safe; per-request state lives in <see cref="DecoderState"/>.
/// </summary>
public sealed class TransformerDecoder
{
    private readonly DecoderWeights _w;
    private readonly MultiHeadAttention[] _selfAttention;
    private readonly MultiHeadAttention[] _crossAttention;
    private readonly ILinearLayer[] _fc1, _fc2;     // FFN weights repacked for streaming (PackedLinear, or int8)
    private readonly ILinearLayer _outputProjection; // W_out repacked: h·W_outᵀ is the largest product of a step
    private readonly int[] _shortlistIndex;           // [V] i where gen_ids_i = id, or −1
    private readonly float _logFloor;                 // log(1e-12), as TensorPrimitives.Log computes it

    private const float ProbabilityFloor = 1e-12f;

    /// <summary>
    /// Wraps loaded weights (and repacks the FFN and shortlist projection weights: in int8 where <paramref name="quantization"/>
    /// says and the CPU runs int8 products, <see cref="QuantizedLinear.IsSupported"/>; elsewhere as stored).
    /// </summary>
    public TransformerDecoder(DecoderWeights weights, DecoderQuantization quantization = DecoderQuantization.None)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _w = weights;
        var c = weights.Config;
        Quantization = QuantizedLinear.IsSupported ? quantization : DecoderQuantization.None;
        var attentionInt8 = Quantization.HasFlag(DecoderQuantization.Attention);
        _selfAttention = weights.Layers.Select(l => new MultiHeadAttention(l.SelfAttention, packForSteps: true, attentionInt8)).ToArray();
        _crossAttention = weights.Layers.Select(l => new MultiHeadAttention(l.CrossAttention, packForSteps: true, attentionInt8)).ToArray();
        var ffnInt8 = Quantization.HasFlag(DecoderQuantization.FeedForward);
        _fc1 = weights.Layers.Select(l => ILinearLayer.ForSteps(l.Fc1Weight, c.FeedForwardDim, c.DModel, ffnInt8)).ToArray();
        _fc2 = weights.Layers.Select(l => ILinearLayer.ForSteps(l.Fc2Weight, c.DModel, c.FeedForwardDim, ffnInt8)).ToArray();
        _outputProjection = ILinearLayer.ForSteps(weights.OutWeight, c.ShortlistSize, c.DModel, Quantization.HasFlag(DecoderQuantization.OutputProjection));
        _shortlistIndex = new int[c.VocabSize];
        Array.Fill(_shortlistIndex, -1);
        for (var i = 0; i < weights.GenIds.Length; i++)
            _shortlistIndex[weights.GenIds[i]] = i;
        Span<float> floor = stackalloc float[64];
        floor.Fill(ProbabilityFloor);
        TensorPrimitives.Log(floor, floor);
        _logFloor = floor[0];
    }

    /// <summary>The model's sizes.</summary>
    public ModelConfig Config => _w.Config;

    /// <summary>
    /// Whether a summary alone in the process may share its int8 products with a second core (<see cref="DecoderState.UseSecondCore"/>).
    /// </summary>
    public bool SecondCore { get; init; }

    /// <summary>Which weight matrices run in int8 (none on a CPU without int8 products, whatever was asked).</summary>
    public DecoderQuantization Quantization { get; }

    /// <summary>The shortlist index i of a vocabulary id (gen_ids_i = id), or −1 when the shortlist does not hold it.</summary>
    internal int ShortlistIndex(int id) => _shortlistIndex[id];

    /// <summary>The weights (E included), for tests.</summary>
    internal DecoderWeights Weights => _w;

    /// <summary>
    /// Allocates a request's state for <paramref name="maxRows"/> rows (the beam width) and computes every layer's
    /// cross-attention keys and values from the encoder memory once.
    /// </summary>
    /// <param name="memory">[S, d_model] encoder output.</param>
    /// <param name="sourceIds">[S] source token ids (the copy mechanism scatters onto them).</param>
    /// <param name="maxRows">Most rows per step.</param>
    /// <param name="captureLayerAttention">Also keep every layer's per-head cross-attention (for full attention maps).</param>
    /// <param name="copyPrior">
    /// [S] a prior over the source positions for the copy attention, each in (0, 1], or empty for none: the copy
    /// distribution becomes a_j·s_j / Σ_k a_k·s_k (bottom-up attention, Gehrmann et al. 2018, with soft salience in place
    /// of their hard mask). The layers' own cross-attention is left as the model computes it.
    /// </param>
    public DecoderState CreateState(ReadOnlySpan<float> memory, ReadOnlySpan<int> sourceIds, int maxRows, bool captureLayerAttention = false,
        ReadOnlySpan<float> copyPrior = default)
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
        if (!copyPrior.IsEmpty && copyPrior.Length != sourceIds.Length)
            throw new ArgumentException($"copyPrior has {copyPrior.Length} elements; the source has {sourceIds.Length}.", nameof(copyPrior));
        foreach (var prior in copyPrior)
            if (!(prior > 0f && prior <= 1f))
                throw new ArgumentOutOfRangeException(nameof(copyPrior), prior, "Every copy prior must be in (0, 1].");

        var state = new DecoderState(this, memory, sourceIds, maxRows, captureLayerAttention, copyPrior);
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
        // A second summary has started: the core goes back to it.
        if (state.Split is not null && RequestActivity.Active > 1)
            state.ReleaseSecondCore();
        var split = state.Split;

        var y = state.HiddenState.AsSpan(0, rows * d);
        var delta = state.Delta.AsSpan(0, rows * d);

        // y = LN_emb(E[token] + P[position])                                   (rows, d)
        var p = _w.Positions.AsSpan(position * d, d);
        for (var r = 0; r < rows; r++)
        {
            var id = tokens[r];
            if ((uint)id >= (uint)v)
                throw new ArgumentOutOfRangeException(nameof(tokens), id, $"Token ids must be in 0..{v - 1}.");
            TensorPrimitives.Add(_w.Embedding.AsSpan(id * d, d), p, y.Slice(r * d, d));
        }
        LayerNorm.Forward(y, _w.EmbeddingNormWeight, _w.EmbeddingNormBias, y, rows, d, c.NormEps);

        for (var l = 0; l < _w.Layers.Length; l++)
        {
            var layer = _w.Layers[l];
            // y = LN1(y + MHA(y, y, causal))  — the cache holds only the past, so the mask is implicit
            _selfAttention[l].SelfAttentionStep(y, state.Caches[l], state.Workspace, delta, default, split);
            AddAndNormalize(y, delta, layer.Ln1Weight, layer.Ln1Bias, rows);

            // y = LN2(y + MHA(y, memory, pad_mask))  — no padding: one unpadded source per request
            var weights = state.CrossWeights[l].Length == 0 ? default : state.CrossWeights[l].AsSpan(0, rows * heads * s);
            _crossAttention[l].CrossAttention(y, rows, state.CrossKeyValues[l], state.Workspace, delta, default, weights, split);
            AddAndNormalize(y, delta, layer.Ln2Weight, layer.Ln2Bias, rows);

            // y = LN3(y + FFN(y)),  FFN(x) = fc2(GELU(fc1(x)))                  (rows, d) → (rows, d_ff) → (rows, d)
            var hidden = state.FeedForwardHidden.AsSpan(0, rows * c.FeedForwardDim);
            _fc1[l].Forward(y, layer.Fc1Bias, hidden, rows, split);
            Activations.GeluTanh(hidden, hidden);
            _fc2[l].Forward(hidden, layer.Fc2Bias, delta, rows, split);
            AddAndNormalize(y, delta, layer.Ln3Weight, layer.Ln3Bias, rows);
        }

        // h = y                                                                (rows, d)
        Output(state, y, rows, split);
        if (state.LayerAttentionLength > 0)
            GatherLayerAttention(state, rows);
    }

    // y = LN(y + delta), in place: the post-LayerNorm residual connection.
    private void AddAndNormalize(Span<float> y, ReadOnlySpan<float> delta, float[] gamma, float[] beta, int rows)
    {
        TensorPrimitives.Add(y, delta, y);
        LayerNorm.Forward(y, gamma, beta, y, rows, Config.DModel, Config.NormEps);
    }

    /// <summary>
    /// The pointer-generator output: P_gen_vocab = softmax(h·W_outᵀ + b_out) over the shortlist; a = mean over heads of the
    /// last layer's cross-attention (times the copy prior s and renormalized, when the state has one); c = a·memory; p_gen = sigmoid(w_gen·[h ; c] + b_gen);
    /// P(w) = p_gen·Σ_{i: gen_ids_i = w} P_gen_vocab_i + (1 − p_gen)·Σ_{j: src_j = w} a_j; log_probs = log(max(P, 1e-12)).
    /// Only the shortlist's ids and the source's ids can have P > 0, so only those logs are computed.
    /// </summary>
    private void Output(DecoderState state, ReadOnlySpan<float> h, int rows, CoreSplit? split)
    {
        var c = Config;
        int d = c.DModel, s = state.SourceLength, heads = c.HeadCount, v = c.VocabSize, nGen = c.ShortlistSize;

        // a: (rows, S) = mean_h A_h of the last layer, from weights laid out (rows, heads, S)
        var last = state.CrossWeights[^1];
        var a = state.CopyDistribution.AsSpan(0, rows * s);
        for (var r = 0; r < rows; r++)
        {
            var ar = a.Slice(r * s, s);
            last.AsSpan(r * heads * s, s).CopyTo(ar);
            for (var head = 1; head < heads; head++)
                TensorPrimitives.Add(ar, last.AsSpan((r * heads + head) * s, s), ar);
            TensorPrimitives.Divide(ar, heads, ar);
            // with a prior: a_j ← a_j·s_j / Σ_k a_k·s_k (the prior is > 0, so the sum is too)
            if (state.CopyPrior is { } prior)
            {
                TensorPrimitives.Multiply(ar, prior, ar);
                TensorPrimitives.Divide(ar, TensorPrimitives.Sum(ar), ar);
            }
        }

        // c: (rows, d) = a · memory, as a linear layer whose (out, in) weight is memoryᵀ (d, S)
        var context = state.Context.AsSpan(0, rows * d);
        Linear.Forward(a, state.MemoryTransposed, default, context, rows, s, d);

        // shortlist logits: (rows, n_gen) = h · W_outᵀ + b_out
        var shortlistProbs = state.ShortlistProbabilities.AsSpan(0, rows * nGen);
        _outputProjection.Forward(h, _w.OutBias, shortlistProbs, rows, split);

        // P(w) per row; rows are independent, so with an engaged second core they are its chunks.
        if (split is { IsEngaged: true } && rows > 1)
            split.Run(state.OutputRows, rows);
        else
            for (var r = 0; r < rows; r++)
                MixRow(state, r);
    }

    // Row r of P(w) = p_gen·P_gen_vocab + (1 − p_gen)·copy mass, as logs over the vocabulary.
    internal void MixRow(DecoderState state, int r)
    {
        var c = Config;
        int d = c.DModel, s = state.SourceLength, v = c.VocabSize, nGen = c.ShortlistSize;
        var h = state.HiddenState.AsSpan(r * d, d);
        var context = state.Context.AsSpan(r * d, d);
        var pGen = Sigmoid(TensorPrimitives.Dot(_w.GenWeight.AsSpan(0, d), h) + TensorPrimitives.Dot(_w.GenWeight.AsSpan(d, d), context) + _w.GenBias);
        state.GenerationProbabilities[r] = pGen;

        // The copy mass of each source id (Σ_{j: src_j = w} a_j, summed in position order as torch's scatter_add), kept at
        // the id's first position.
        var mass = state.CopyMass.AsSpan(r * s, s);
        mass.Clear();
        var ar = state.CopyDistribution.AsSpan(r * s, s);
        var representative = state.SourceRepresentative;
        for (var j = 0; j < s; j++)
            mass[representative[j]] += ar[j];

        // P at the shortlist's ids: p_gen·P_gen_vocab_i, plus (1 − p_gen)·copy mass where the source holds gen_ids_i;
        // logs taken on this dense 8,000-wide row, not on all V ids.
        var pv = state.ShortlistProbabilities.AsSpan(r * nGen, nGen);
        Softmax.Normalize(pv);
        TensorPrimitives.Multiply(pv, pGen, pv);
        var pCopy = 1f - pGen;
        foreach (var (i, j) in state.ShortlistCopies)
            pv[i] += pCopy * mass[j];
        TensorPrimitives.Max(pv, ProbabilityFloor, pv);
        TensorPrimitives.Log(pv, pv);

        // Every other id has P = 0 → log(1e-12), except source ids outside the shortlist: (1 − p_gen)·copy mass.
        var pw = state.LogProbabilities.AsSpan(r * v, v);
        pw.Fill(_logFloor);
        var genIds = _w.GenIds;
        for (var i = 0; i < nGen; i++)
            pw[genIds[i]] = pv[i];
        var copyOnly = state.CopyOnlyPositions;
        var logs = state.CopyOnlyProbabilities.AsSpan(r * s, copyOnly.Length);
        for (var k = 0; k < copyOnly.Length; k++)
            logs[k] = pCopy * mass[copyOnly[k]];
        TensorPrimitives.Max(logs, ProbabilityFloor, logs);
        TensorPrimitives.Log(logs, logs);
        var sourceIds = state.SourceIds;
        for (var k = 0; k < copyOnly.Length; k++)
            pw[sourceIds[copyOnly[k]]] = logs[k];
    }

    // CapturedLayerAttention: (rows, layers, heads, S) from per-layer (rows, heads, S)
    private void GatherLayerAttention(DecoderState state, int rows)
    {
        int width = Config.HeadCount * state.SourceLength, layers = _w.Layers.Length;
        for (var r = 0; r < rows; r++)
            for (var l = 0; l < layers; l++)
                state.CrossWeights[l].AsSpan(r * width, width).CopyTo(state.CapturedLayerAttention.AsSpan((r * layers + l) * width, width));
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
