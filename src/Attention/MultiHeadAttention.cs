using System.Buffers;

namespace Summarizer.Attention;

/// <summary>
/// Multi-head attention: q = Linear_q(x), k = Linear_k(m), v = Linear_v(m), split into heads of d_k,
/// A_h = softmax(q_h·k_hᵀ/√d_k + mask), out = Linear_o(concat_h(A_h·v_h)).
/// Offers the incremental decoder paths (self-attention over a <see cref="KeyValueCache"/>, cross-attention over
/// precomputed <see cref="CrossAttentionKeyValues"/>) for a batch of rows, and a full-sequence <see cref="Forward"/>.
/// Attention weights come out as [rows, heads, keys].
/// </summary>
public sealed class MultiHeadAttention
{
    /// <summary>Wraps the block's parameters (not copied).</summary>
    public MultiHeadAttention(MultiHeadAttentionWeights weights)
        : this(weights, packForSteps: false)
    {
    }

    /// <summary>
    /// Wraps the block's parameters; with <paramref name="packForSteps"/> also repacks W_q, W_k, W_v, W_o as
    /// <see cref="PackedLinear"/> for the few-row step paths (a decoder streams them from memory every step), which
    /// then read the packed copies: the weights must not change afterwards. With <paramref name="int8Steps"/> as well
    /// (and <see cref="QuantizedLinear.IsSupported"/>), the step paths and <see cref="ComputeCrossKeyValues"/> use
    /// <see cref="QuantizedLinear"/> copies instead:
    /// close to the float products, not equal.
    /// </summary>
    public MultiHeadAttention(MultiHeadAttentionWeights weights, bool packForSteps, bool int8Steps = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weights = weights;
        if (packForSteps)
        {
            int d = weights.DModel;
            _packedQ = ILinearLayer.ForSteps(weights.Wq, d, d, int8Steps);
            _packedK = ILinearLayer.ForSteps(weights.Wk, d, d, int8Steps);
            _packedV = ILinearLayer.ForSteps(weights.Wv, d, d, int8Steps);
            _packedO = ILinearLayer.ForSteps(weights.Wo, d, d, int8Steps);
            IsInt8 = _packedQ is QuantizedLinear;
            // A self-attention step projects one x three ways: as one product it is read (and, in int8, quantized) once.
            // Built on the first self-attention step, so a cross-attention block never holds it.
            _packedQkv = new Lazy<ILinearLayer>(() => ILinearLayer.ForSteps([.. weights.Wq, .. weights.Wk, .. weights.Wv], 3 * d, d, int8Steps));
            _biasQkv = [.. weights.Bq, .. weights.Bk, .. weights.Bv];
        }
    }

    private readonly ILinearLayer? _packedQ, _packedK, _packedV, _packedO;
    private readonly Lazy<ILinearLayer>? _packedQkv;
    private readonly float[]? _biasQkv;

    /// <summary>Whether the step paths' projections (and the cross keys and values of a memory) run in int8.</summary>
    public bool IsInt8 { get; }

    /// <summary>The block's parameters.</summary>
    public MultiHeadAttentionWeights Weights { get; }

    private int DModel => Weights.DModel;

    private int HeadCount => Weights.HeadCount;

    private int HeadDim => Weights.HeadDim;

    /// <summary>
    /// One decoding step of masked self-attention for every row of <paramref name="cache"/>: projects x, appends its key and
    /// value to the cache (Length grows by 1) and attends over the whole cache, which holds only the past and the present.
    /// </summary>
    /// <param name="x">[cache.RowCount, dModel] the newest token's (normalized) state per row.</param>
    /// <param name="cache">This layer's cache; its row count is the batch size.</param>
    /// <param name="workspace">Scratch; reusable across layers.</param>
    /// <param name="output">[cache.RowCount, dModel] result; may be the same memory as x.</param>
    /// <param name="weights">[cache.RowCount, heads, cache.Length + 1] receives the weights, or empty.</param>
    public void SelfAttentionStep(
        ReadOnlySpan<float> x, KeyValueCache cache, AttentionWorkspace workspace, Span<float> output, Span<float> weights = default) =>
        SelfAttentionStep(x, cache, workspace, output, weights, null);

    /// <summary>
    /// <see cref="SelfAttentionStep(ReadOnlySpan{float}, KeyValueCache, AttentionWorkspace, Span{float}, Span{float})"/> with
    /// the heads (and the int8 projections) shared with <paramref name="split"/>'s helper thread when it is engaged: the
    /// same values as one thread.
    /// </summary>
    /// <param name="x">[cache.RowCount, dModel] the newest token's (normalized) state per row.</param>
    /// <param name="cache">This layer's cache; its row count is the batch size.</param>
    /// <param name="workspace">Scratch; reusable across layers.</param>
    /// <param name="output">[cache.RowCount, dModel] result; may be the same memory as x.</param>
    /// <param name="weights">[cache.RowCount, heads, cache.Length + 1] receives the weights, or empty.</param>
    /// <param name="split">The caller's engaged helper, or null for one thread.</param>
    public unsafe void SelfAttentionStep(
        ReadOnlySpan<float> x, KeyValueCache cache, AttentionWorkspace workspace, Span<float> output, Span<float> weights, CoreSplit? split)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(workspace);
        if (cache.HeadCount != HeadCount || cache.HeadDim != HeadDim)
        {
            throw new ArgumentException(
                $"The cache has heads={cache.HeadCount}, d_k={cache.HeadDim} but the weights have heads={HeadCount}, d_k={HeadDim}.", nameof(cache));
        }

        int rows = cache.RowCount;
        int keyCount = cache.Length + 1;
        Guard.Shape(x.Length, nameof(x), rows, "cache.RowCount", DModel, "dModel");
        Guard.Shape(output.Length, nameof(output), rows, "cache.RowCount", DModel, "dModel");
        Guard.OptionalShape(weights.Length, nameof(weights), rows, "cache.RowCount", HeadCount, "heads", keyCount, "cache.Length+1");
        workspace.Check(Weights, rows, keyCount);

        int size = rows * DModel;
        Span<float> q = workspace.Query.AsSpan(0, size);
        Span<float> k = workspace.Key.AsSpan(0, size);
        Span<float> v = workspace.Value.AsSpan(0, size);
        Span<float> context = workspace.Context.AsSpan(0, size);
        Span<float> scores = weights.IsEmpty ? workspace.Scores.AsSpan(0, rows * HeadCount * keyCount) : weights;

        if (_packedQkv is null)
        {
            StepProject(x, rows, _packedQ, Weights.Wq, Weights.Bq, q);
            StepProject(x, rows, _packedK, Weights.Wk, Weights.Bk, k);
            StepProject(x, rows, _packedV, Weights.Wv, Weights.Bv, v);
        }
        else
        {
            // [q | k | v] per row from one product, then split into the three buffers
            Span<float> qkv = workspace.Projections.AsSpan(0, 3 * size);
            _packedQkv.Value.Forward(x, _biasQkv, qkv, rows, split);

            for (int r = 0; r < rows; r++)
            {
                qkv.Slice(3 * r * DModel, DModel).CopyTo(q.Slice(r * DModel, DModel));
                qkv.Slice((3 * r + 1) * DModel, DModel).CopyTo(k.Slice(r * DModel, DModel));
                qkv.Slice((3 * r + 2) * DModel, DModel).CopyTo(v.Slice(r * DModel, DModel));
            }
        }

        cache.Append(k, v);

        if (split is null || !split.IsEngaged)
        {
            for (int h = 0; h < HeadCount; h++)
            {
                SelfAttendHead(h, q, cache, scores, context);
            }
        }
        else
        {
            fixed (float* qAt = q, scoresAt = scores, contextAt = context)
            {
                var work = split.SelfHeads;
                work.Set(this, cache, new Pinned<float>(qAt, q.Length), new Pinned<float>(scoresAt, scores.Length), new Pinned<float>(contextAt, context.Length));
                split.Run(work, HeadCount);
            }
        }

        StepProject(context, rows, _packedO, Weights.Wo, Weights.Bo, output, split);
    }

    // Head h of a self-attention step for every row: each row has its own history, so each (row, head) is a 1 × keyCount
    // product over contiguous [keyCount, d_k] keys.
    private void SelfAttendHead(int h, ReadOnlySpan<float> q, KeyValueCache cache, Span<float> scores, Span<float> context)
    {
        int rows = cache.RowCount, keyCount = cache.Length;
        float scale = 1f / MathF.Sqrt(HeadDim);
        for (int r = 0; r < rows; r++)
        {
            Span<float> a = scores.Slice((r * HeadCount + h) * keyCount, keyCount);
            Gemm.MultiplyTransposed(q.Slice(r * DModel + h * HeadDim, HeadDim), HeadDim, cache.Keys(r, h), HeadDim, a, keyCount, 1, keyCount, HeadDim, default, scale);
            Softmax.Normalize(a);
            Gemm.Multiply(a, keyCount, cache.Values(r, h), HeadDim, context.Slice(r * DModel + h * HeadDim, HeadDim), HeadDim, 1, keyCount, HeadDim);
        }
    }

    /// <summary>One self-attention step's heads as <see cref="CoreSplit"/> chunks, over memory the caller keeps fixed.</summary>
    internal sealed class SelfHeadChunks : IChunkedWork
    {
        private MultiHeadAttention? _attention;
        private KeyValueCache? _cache;
        private Pinned<float> _q, _scores, _context;

        public void Set(MultiHeadAttention attention, KeyValueCache cache, Pinned<float> q, Pinned<float> scores, Pinned<float> context) =>
            (_attention, _cache, _q, _scores, _context) = (attention, cache, q, scores, context);

        public void RunChunk(int index) => _attention!.SelfAttendHead(index, _q.Span, _cache!, _scores.Span, _context.Span);
    }

    /// <summary>
    /// Projects one encoder output into per-head cross-attention keys and values, once per request;
    /// every row (beam) and every step then reuses them.
    /// </summary>
    /// <param name="memory">[sourceLength, dModel] encoder output.</param>
    /// <param name="sourceLength">Source positions.</param>
    /// <param name="destination">Receives [heads, sourceLength, d_k] keys and values.</param>
    public void ComputeCrossKeyValues(ReadOnlySpan<float> memory, int sourceLength, CrossAttentionKeyValues destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckCrossShape(destination);
        Guard.Positive(sourceLength, nameof(sourceLength));
        Guard.Shape(memory.Length, nameof(memory), sourceLength, nameof(sourceLength), DModel, "dModel");
        destination.Prepare(sourceLength, out Span<float> keys, out Span<float> values);
        int headSize = sourceLength * HeadDim;
        if (IsInt8)
        {
            ProjectInt8(memory, sourceLength, keys, values);
            return;
        }

        for (int h = 0; h < HeadCount; h++)
        {
            // Rows [h·d_k, (h+1)·d_k) of W_k are head h's projection, so each head lands contiguous: K_hᵀ = W_k,h·memoryᵀ
            // (d_k × S, the operands swapped), V_h = memory·W_v,hᵀ (S × d_k).
            int w = h * HeadDim * DModel;
            Span<float> keysT = keys.Slice(h * headSize, headSize);
            Gemm.MultiplyTransposed(Weights.Wk.AsSpan(w, HeadDim * DModel), DModel, memory, DModel, keysT, sourceLength,
                HeadDim, sourceLength, DModel, default, 1f);
            for (int c = 0; c < HeadDim; c++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(keysT.Slice(c * sourceLength, sourceLength), Weights.Bk[h * HeadDim + c], keysT.Slice(c * sourceLength, sourceLength));
            }

            Gemm.MultiplyTransposed(memory, DModel, Weights.Wv.AsSpan(w, HeadDim * DModel), DModel, values.Slice(h * headSize, headSize), HeadDim,
                sourceLength, HeadDim, DModel, Weights.Bv.AsSpan(h * HeadDim, HeadDim), 1f);
        }
    }

    // The int8 steps' W_k and W_v over every memory row (the same products a step's rows get), then laid out per head:
    // K_hᵀ [d_k, S] and V_h [S, d_k].
    private void ProjectInt8(ReadOnlySpan<float> memory, int sourceLength, Span<float> keys, Span<float> values)
    {
        int size = sourceLength * DModel, headSize = sourceLength * HeadDim;
        float[] rented = ArrayPool<float>.Shared.Rent(size);
        try
        {
            Span<float> projected = rented.AsSpan(0, size);
            _packedK!.Forward(memory, Weights.Bk, projected, sourceLength);
            for (int j = 0; j < sourceLength; j++)
            {
                for (int h = 0; h < HeadCount; h++)
                {
                    ReadOnlySpan<float> k = projected.Slice(j * DModel + h * HeadDim, HeadDim);
                    Span<float> keysT = keys.Slice(h * headSize + j, headSize - j);
                    for (int c = 0; c < HeadDim; c++)
                    {
                        keysT[c * sourceLength] = k[c];
                    }
                }
            }

            _packedV!.Forward(memory, Weights.Bv, projected, sourceLength);
            for (int h = 0; h < HeadCount; h++)
            {
                for (int j = 0; j < sourceLength; j++)
                {
                    projected.Slice(j * DModel + h * HeadDim, HeadDim).CopyTo(values.Slice(h * headSize + j * HeadDim, HeadDim));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// One decoding step of cross-attention for a batch of rows that share one source: all rows' logits for a head come from one
    /// rows × sourceLength product over the shared keys.
    /// </summary>
    /// <param name="x">[rowCount, dModel] queries' (normalized) states.</param>
    /// <param name="rowCount">Rows (beams).</param>
    /// <param name="keyValues">Keys and values from <see cref="ComputeCrossKeyValues"/>.</param>
    /// <param name="workspace">Scratch; reusable across layers.</param>
    /// <param name="output">[rowCount, dModel] result; may be the same memory as x.</param>
    /// <param name="sourceMask">[sourceLength] additive padding mask (0 or −∞), or empty.</param>
    /// <param name="weights">[rowCount, heads, sourceLength] receives the weights (attention maps, copy mechanism), or empty.</param>
    public void CrossAttention(
        ReadOnlySpan<float> x, int rowCount, CrossAttentionKeyValues keyValues, AttentionWorkspace workspace, Span<float> output,
        ReadOnlySpan<float> sourceMask = default, Span<float> weights = default) =>
        CrossAttention(x, rowCount, keyValues, workspace, output, sourceMask, weights, null);

    /// <summary>
    /// <see cref="CrossAttention(ReadOnlySpan{float}, int, CrossAttentionKeyValues, AttentionWorkspace, Span{float}, ReadOnlySpan{float}, Span{float})"/>
    /// with the heads (and the int8 projections) shared with <paramref name="split"/>'s helper thread when it is engaged:
    /// the same values as one thread.
    /// </summary>
    /// <param name="x">[rowCount, dModel] queries' (normalized) states.</param>
    /// <param name="rowCount">Rows (beams).</param>
    /// <param name="keyValues">Keys and values from <see cref="ComputeCrossKeyValues"/>.</param>
    /// <param name="workspace">Scratch; reusable across layers.</param>
    /// <param name="output">[rowCount, dModel] result; may be the same memory as x.</param>
    /// <param name="sourceMask">[sourceLength] additive padding mask (0 or −∞), or empty.</param>
    /// <param name="weights">[rowCount, heads, sourceLength] receives the weights, or empty.</param>
    /// <param name="split">The caller's engaged helper, or null for one thread.</param>
    public void CrossAttention(
        ReadOnlySpan<float> x, int rowCount, CrossAttentionKeyValues keyValues, AttentionWorkspace workspace, Span<float> output,
        ReadOnlySpan<float> sourceMask, Span<float> weights, CoreSplit? split)
    {
        ArgumentNullException.ThrowIfNull(keyValues);
        ArgumentNullException.ThrowIfNull(workspace);
        CheckCrossShape(keyValues);
        int sourceLength = keyValues.SourceLength;
        if (sourceLength == 0)
        {
            throw new ArgumentException("The cross-attention keys and values have not been computed.", nameof(keyValues));
        }

        Guard.Positive(rowCount, nameof(rowCount));
        Guard.Shape(x.Length, nameof(x), rowCount, nameof(rowCount), DModel, "dModel");
        Guard.Shape(output.Length, nameof(output), rowCount, nameof(rowCount), DModel, "dModel");
        if (!sourceMask.IsEmpty)
        {
            Guard.Shape(sourceMask.Length, nameof(sourceMask), sourceLength, nameof(sourceLength));
        }

        Guard.OptionalShape(weights.Length, nameof(weights), rowCount, nameof(rowCount), HeadCount, "heads", sourceLength, nameof(sourceLength));
        workspace.Check(Weights, rowCount, sourceLength);

        int size = rowCount * DModel;
        Span<float> q = workspace.Query.AsSpan(0, size);
        Span<float> context = workspace.Context.AsSpan(0, size);
        Span<float> scores = weights.IsEmpty ? workspace.Scores.AsSpan(0, rowCount * HeadCount * sourceLength) : weights;

        StepProject(x, rowCount, _packedQ, Weights.Wq, Weights.Bq, q, split);
        Attend(q, rowCount, keyValues, scores, context, sourceMask, split);
        StepProject(context, rowCount, _packedO, Weights.Wo, Weights.Bo, output, split);
    }

    /// <summary>
    /// Full-sequence attention (training-style, no cache): queries from x attend over keys and values from memory
    /// (pass x as memory for self-attention). Rents temporary buffers from the shared array pool.
    /// </summary>
    /// <param name="x">[queryCount, dModel] query states.</param>
    /// <param name="queryCount">Query positions.</param>
    /// <param name="memory">[keyCount, dModel] key/value states.</param>
    /// <param name="keyCount">Key positions.</param>
    /// <param name="output">[queryCount, dModel] result.</param>
    /// <param name="mask">Additive mask: empty, [keyCount] or [queryCount, keyCount].</param>
    /// <param name="causal">Query i (at position keyCount − queryCount + i) sees only keys j ≤ its position.</param>
    /// <param name="weights">[queryCount, heads, keyCount] receives the weights, or empty.</param>
    public void Forward(
        ReadOnlySpan<float> x, int queryCount, ReadOnlySpan<float> memory, int keyCount, Span<float> output,
        ReadOnlySpan<float> mask = default, bool causal = false, Span<float> weights = default)
    {
        Guard.NonNegative(queryCount, nameof(queryCount));
        Guard.NonNegative(keyCount, nameof(keyCount));
        Guard.Shape(x.Length, nameof(x), queryCount, nameof(queryCount), DModel, "dModel");
        Guard.Shape(memory.Length, nameof(memory), keyCount, nameof(keyCount), DModel, "dModel");
        Guard.Shape(output.Length, nameof(output), queryCount, nameof(queryCount), DModel, "dModel");
        Guard.Mask(mask.Length, nameof(mask), queryCount, keyCount);
        Guard.OptionalShape(weights.Length, nameof(weights), queryCount, nameof(queryCount), HeadCount, "heads", keyCount, nameof(keyCount));

        if (queryCount == 0)
        {
            return;
        }

        int qSize = queryCount * DModel, kSize = keyCount * DModel, sSize = queryCount * HeadCount * keyCount;
        float[] rented = ArrayPool<float>.Shared.Rent(2 * qSize + 2 * kSize + (weights.IsEmpty ? sSize : 0));
        try
        {
            Span<float> q = rented.AsSpan(0, qSize);
            Span<float> context = rented.AsSpan(qSize, qSize);
            Span<float> k = rented.AsSpan(2 * qSize, kSize);
            Span<float> v = rented.AsSpan(2 * qSize + kSize, kSize);
            Span<float> scores = weights.IsEmpty ? rented.AsSpan(2 * qSize + 2 * kSize, sSize) : weights;

            Project(x, queryCount, Weights.Wq, Weights.Bq, q);
            Project(memory, keyCount, Weights.Wk, Weights.Bk, k);
            Project(memory, keyCount, Weights.Wv, Weights.Bv, v);

            float scale = 1f / MathF.Sqrt(HeadDim);
            int rowStride = HeadCount * keyCount;
            int offset = keyCount - queryCount;
            for (int h = 0; h < HeadCount; h++)
            {
                int c = h * HeadDim;
                Span<float> scoresH = scores[(h * keyCount)..];
                if (keyCount > 0)
                {
                    Gemm.MultiplyTransposed(q[c..], DModel, k[c..], DModel, scoresH, rowStride, queryCount, keyCount, HeadDim, default, scale);
                }

                for (int i = 0; i < queryCount; i++)
                {
                    Span<float> row = scoresH.Slice(i * rowStride, keyCount);
                    DotProductAttention.ApplyMask(row, mask, i);
                    if (causal)
                    {
                        row[Math.Clamp(offset + i + 1, 0, keyCount)..].Fill(AttentionMask.Masked);
                    }

                    Softmax.Normalize(row);
                }

                if (keyCount == 0)
                {
                    context.Clear();
                }
                else
                {
                    Gemm.Multiply(scoresH, rowStride, v[c..], DModel, context[c..], DModel, queryCount, keyCount, HeadDim);
                }
            }

            Project(context, queryCount, Weights.Wo, Weights.Bo, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    // scores [rows, heads, S]; context [rows, dModel]. q is scaled by 1/√d_k in place first, so each head's scores are one
    // (rows × d_k)·(d_k × S) product over the transposed keys, run along the source. Heads are independent: with an engaged
    // helper they are its chunks.
    private unsafe void Attend(Span<float> q, int rows, CrossAttentionKeyValues keyValues, Span<float> scores, Span<float> context,
        ReadOnlySpan<float> sourceMask, CoreSplit? split)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(q, 1f / MathF.Sqrt(HeadDim), q);
        if (split is null || !split.IsEngaged)
        {
            for (int h = 0; h < HeadCount; h++)
            {
                AttendHead(h, q, rows, keyValues, scores, context, sourceMask);
            }

            return;
        }

        fixed (float* qAt = q, scoresAt = scores, contextAt = context, maskAt = sourceMask)
        {
            var work = split.Heads;
            work.Set(this, keyValues, new Pinned<float>(qAt, q.Length), rows, new Pinned<float>(scoresAt, scores.Length),
                new Pinned<float>(contextAt, context.Length), new Pinned<float>(maskAt, sourceMask.Length));
            split.Run(work, HeadCount);
        }
    }

    private void AttendHead(int h, ReadOnlySpan<float> q, int rows, CrossAttentionKeyValues keyValues, Span<float> scores, Span<float> context,
        ReadOnlySpan<float> sourceMask)
    {
        int sourceLength = keyValues.SourceLength;
        int rowStride = HeadCount * sourceLength;
        int c = h * HeadDim;
        Span<float> scoresH = scores[(h * sourceLength)..];
        Gemm.Multiply(q[c..], DModel, keyValues.KeysTransposed(h), sourceLength, scoresH, rowStride, rows, HeadDim, sourceLength);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = scoresH.Slice(r * rowStride, sourceLength);
            DotProductAttention.ApplyMask(row, sourceMask, 0);
            Softmax.Normalize(row);
        }

        Gemm.Multiply(scoresH, rowStride, keyValues.Values(h), HeadDim, context[c..], DModel, rows, sourceLength, HeadDim);
    }

    /// <summary>One cross-attention step's heads as <see cref="CoreSplit"/> chunks, over memory the caller keeps fixed.</summary>
    internal sealed class HeadChunks : IChunkedWork
    {
        private MultiHeadAttention? _attention;
        private CrossAttentionKeyValues? _keyValues;
        private Pinned<float> _q, _scores, _context, _mask;
        private int _rows;

        public void Set(MultiHeadAttention attention, CrossAttentionKeyValues keyValues, Pinned<float> q, int rows, Pinned<float> scores, Pinned<float> context,
            Pinned<float> mask) =>
            (_attention, _keyValues, _q, _rows, _scores, _context, _mask) = (attention, keyValues, q, rows, scores, context, mask);

        public void RunChunk(int index) => _attention!.AttendHead(index, _q.Span, _rows, _keyValues!, _scores.Span, _context.Span, _mask.Span);
    }

    private void StepProject(ReadOnlySpan<float> input, int rows, ILinearLayer? packed, float[] w, float[] b, Span<float> result, CoreSplit? split = null)
    {
        if (packed is null)
        {
            Project(input, rows, w, b, result);
        }
        else
        {
            packed.Forward(input, b, result, rows, split);
        }
    }

    private void Project(ReadOnlySpan<float> input, int rows, float[] w, float[] b, Span<float> result) =>
        Gemm.MultiplyTransposed(input, DModel, w, DModel, result, DModel, rows, DModel, DModel, b, 1f);

    private void CheckCrossShape(CrossAttentionKeyValues keyValues)
    {
        if (keyValues.HeadCount != HeadCount || keyValues.HeadDim != HeadDim)
        {
            throw new ArgumentException(
                $"The cross keys/values have heads={keyValues.HeadCount}, d_k={keyValues.HeadDim} but the weights have heads={HeadCount}, d_k={HeadDim}.", nameof(keyValues));
        }
    }
}
