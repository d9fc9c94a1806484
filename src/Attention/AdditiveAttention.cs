using System.Numerics.Tensors;

namespace Summarizer.Attention;

/// <summary>
/// Additive (Bahdanau) attention: score(q, k_j) = vᵀ·tanh(W_q·q + W_k·k_j + b), A = softmax over keys (+ mask), output = Σ_j A_j·value_j.
/// The key projection W_k·k_j + b is computed once per source by <see cref="ProjectKeys"/> and reused by every query.
/// Weights are in torch layout (out, in). Instances are immutable; scratch is per thread.
/// </summary>
public sealed class AdditiveAttention
{
    private readonly float[] queryWeight;
    private readonly float[] keyWeight;
    private readonly float[] bias;
    private readonly float[] scoreVector;

    /// <summary>Wraps the parameters (not copied) after checking their lengths.</summary>
    /// <param name="queryDim">Width of a query.</param>
    /// <param name="keyDim">Width of a key.</param>
    /// <param name="attentionDim">Width of the hidden tanh layer.</param>
    /// <param name="queryWeight">[attentionDim, queryDim] W_q.</param>
    /// <param name="keyWeight">[attentionDim, keyDim] W_k.</param>
    /// <param name="bias">[attentionDim] b.</param>
    /// <param name="scoreVector">[attentionDim] v.</param>
    public AdditiveAttention(int queryDim, int keyDim, int attentionDim, float[] queryWeight, float[] keyWeight, float[] bias, float[] scoreVector)
    {
        Guard.Positive(queryDim, nameof(queryDim));
        Guard.Positive(keyDim, nameof(keyDim));
        Guard.Positive(attentionDim, nameof(attentionDim));
        ArgumentNullException.ThrowIfNull(queryWeight);
        ArgumentNullException.ThrowIfNull(keyWeight);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(scoreVector);
        Guard.Shape(queryWeight.Length, nameof(queryWeight), attentionDim, nameof(attentionDim), queryDim, nameof(queryDim));
        Guard.Shape(keyWeight.Length, nameof(keyWeight), attentionDim, nameof(attentionDim), keyDim, nameof(keyDim));
        Guard.Shape(bias.Length, nameof(bias), attentionDim, nameof(attentionDim));
        Guard.Shape(scoreVector.Length, nameof(scoreVector), attentionDim, nameof(attentionDim));
        QueryDim = queryDim;
        KeyDim = keyDim;
        AttentionDim = attentionDim;
        this.queryWeight = queryWeight;
        this.keyWeight = keyWeight;
        this.bias = bias;
        this.scoreVector = scoreVector;
    }

    /// <summary>Width of a query.</summary>
    public int QueryDim { get; }

    /// <summary>Width of a key.</summary>
    public int KeyDim { get; }

    /// <summary>Width of the hidden tanh layer.</summary>
    public int AttentionDim { get; }

    /// <summary>Computes W_k·k_j + b for every key, once per source.</summary>
    /// <param name="keys">[keyCount, keyDim] keys.</param>
    /// <param name="keyCount">Number of keys.</param>
    /// <param name="projectedKeys">[keyCount, attentionDim] output.</param>
    public void ProjectKeys(ReadOnlySpan<float> keys, int keyCount, Span<float> projectedKeys)
    {
        Guard.NonNegative(keyCount, nameof(keyCount));
        Guard.Shape(keys.Length, nameof(keys), keyCount, nameof(keyCount), KeyDim, "keyDim");
        Guard.Shape(projectedKeys.Length, nameof(projectedKeys), keyCount, nameof(keyCount), AttentionDim, "attentionDim");
        Gemm.MultiplyTransposed(keys, KeyDim, keyWeight, KeyDim, projectedKeys, AttentionDim, keyCount, AttentionDim, KeyDim, bias, 1f);
    }

    /// <summary>Attends from a block of queries over keys projected by <see cref="ProjectKeys"/>.</summary>
    /// <param name="queries">[queryCount, queryDim] queries.</param>
    /// <param name="queryCount">Number of queries.</param>
    /// <param name="projectedKeys">[keyCount, attentionDim] from <see cref="ProjectKeys"/>.</param>
    /// <param name="values">[keyCount, valueDim] values.</param>
    /// <param name="keyCount">Number of keys.</param>
    /// <param name="valueDim">Width of a value.</param>
    /// <param name="output">[queryCount, valueDim] result.</param>
    /// <param name="mask">Additive mask: empty, [keyCount] or [queryCount, keyCount]. A fully masked row gives zero weights and output.</param>
    /// <param name="weights">[queryCount, keyCount] receives the weights, or empty.</param>
    public void Forward(
        ReadOnlySpan<float> queries, int queryCount, ReadOnlySpan<float> projectedKeys, ReadOnlySpan<float> values,
        int keyCount, int valueDim, Span<float> output, ReadOnlySpan<float> mask = default, Span<float> weights = default)
    {
        Guard.NonNegative(queryCount, nameof(queryCount));
        Guard.NonNegative(keyCount, nameof(keyCount));
        Guard.Positive(valueDim, nameof(valueDim));
        Guard.Shape(queries.Length, nameof(queries), queryCount, nameof(queryCount), QueryDim, "queryDim");
        Guard.Shape(projectedKeys.Length, nameof(projectedKeys), keyCount, nameof(keyCount), AttentionDim, "attentionDim");
        Guard.Shape(values.Length, nameof(values), keyCount, nameof(keyCount), valueDim, nameof(valueDim));
        Guard.Shape(output.Length, nameof(output), queryCount, nameof(queryCount), valueDim, nameof(valueDim));
        Guard.Mask(mask.Length, nameof(mask), queryCount, keyCount);
        Guard.OptionalShape(weights.Length, nameof(weights), queryCount, nameof(queryCount), keyCount, nameof(keyCount));

        int a = AttentionDim;
        Span<float> scratch = Scratch.Get(queryCount * a + a + (weights.IsEmpty ? queryCount * keyCount : 0));
        Span<float> projectedQueries = scratch[..(queryCount * a)];     // [queryCount, attentionDim]
        Span<float> hidden = scratch.Slice(queryCount * a, a);           // [attentionDim]
        Span<float> scores = weights.IsEmpty ? scratch.Slice(queryCount * a + a, queryCount * keyCount) : weights;

        Gemm.MultiplyTransposed(queries, QueryDim, queryWeight, QueryDim, projectedQueries, a, queryCount, a, QueryDim, default, 1f);
        for (int i = 0; i < queryCount; i++)
        {
            ReadOnlySpan<float> pq = projectedQueries.Slice(i * a, a);
            Span<float> row = scores.Slice(i * keyCount, keyCount);
            ReadOnlySpan<float> rowMask = mask.IsEmpty ? default : mask.Length == keyCount ? mask : mask.Slice(i * keyCount, keyCount);
            for (int j = 0; j < keyCount; j++)
            {
                // A masked key's score is −∞ whatever tanh gives (it is bounded), so it is not computed: a query masked to
                // one sentence of a long text costs that sentence, not the text.
                if (!rowMask.IsEmpty && float.IsNegativeInfinity(rowMask[j]))
                {
                    row[j] = float.NegativeInfinity;
                    continue;
                }

                TensorPrimitives.Add(pq, projectedKeys.Slice(j * a, a), hidden);
                TensorPrimitives.Tanh(hidden, hidden);
                row[j] = TensorPrimitives.Dot(hidden, scoreVector);
            }

            DotProductAttention.ApplyMask(row, mask, i);
            Softmax.Normalize(row);
        }

        if (keyCount == 0)
        {
            output.Clear();
            return;
        }

        Gemm.Multiply(scores, keyCount, values, valueDim, output, valueDim, queryCount, keyCount, valueDim);
    }
}
