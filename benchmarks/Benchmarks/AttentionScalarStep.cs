using Summarizer.Reference;

namespace Summarizer.Benchmarks;

/// <summary>
/// The comparator: one cross-attention decoding step through the shared scalar reference (<see cref="ScalarAttention{T}"/>
/// in float), over the same precomputed [heads, S, d_k] keys/values and preallocated buffers as the library path.
/// </summary>
internal sealed class AttentionScalarStep(int dModel, int headCount, int rowCapacity, int sourceLength)
{
    private readonly float[] q = new float[rowCapacity * dModel];
    private readonly float[] context = new float[rowCapacity * dModel];
    private readonly float[] scores = new float[sourceLength];

    /// <summary>output[rows, d] = W_o·concat_h(softmax(q_h·K_hᵀ/√d_k + mask)·V_h) + b_o with q = W_q·x + b_q.</summary>
    public void Run(
        float[] x, int rows, float[] wq, float[] bq, float[] wo, float[] bo,
        float[] keys, float[] values, float[] mask, float[] output)
    {
        int dk = dModel / headCount;
        float scale = 1f / MathF.Sqrt(dk);
        ScalarAttention<float>.Linear(x, wq, bq, rows, dModel, dModel, q);
        for (int r = 0; r < rows; r++)
        {
            for (int h = 0; h < headCount; h++)
            {
                // Head h's keys and values are contiguous [S, d_k] blocks.
                var head = keys.AsSpan(h * sourceLength * dk, sourceLength * dk);
                ScalarAttention<float>.Attend(q.AsSpan(r * dModel + h * dk, dk), head, dk, values.AsSpan(h * sourceLength * dk, sourceLength * dk), dk,
                    sourceLength, dk, dk, scale, mask, sourceLength, scores, context.AsSpan(r * dModel + h * dk, dk));
            }
        }

        ScalarAttention<float>.Linear(context, wo, bo, rows, dModel, dModel, output);
    }
}
