namespace Summarizer.Benchmarks;

/// <summary>
/// The comparator: one cross-attention decoding step written as plain scalar loops (no SIMD, no blocking),
/// over the same precomputed [heads, S, d_k] keys/values and preallocated buffers as the library path.
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
        Linear(x, rows, wq, bq, q);
        for (int r = 0; r < rows; r++)
        {
            for (int h = 0; h < headCount; h++)
            {
                int headBase = h * sourceLength * dk;
                float max = float.NegativeInfinity;
                for (int j = 0; j < sourceLength; j++)
                {
                    float dot = 0f;
                    for (int c = 0; c < dk; c++)
                    {
                        dot += q[r * dModel + h * dk + c] * keys[headBase + j * dk + c];
                    }

                    scores[j] = dot * scale + mask[j];
                    max = MathF.Max(max, scores[j]);
                }

                float sum = 0f;
                for (int j = 0; j < sourceLength; j++)
                {
                    scores[j] = MathF.Exp(scores[j] - max);
                    sum += scores[j];
                }

                // j outer, c inner: walks each value row contiguously, as a sensible scalar loop would
                int contextBase = r * dModel + h * dk;
                for (int c = 0; c < dk; c++)
                {
                    context[contextBase + c] = 0f;
                }

                for (int j = 0; j < sourceLength; j++)
                {
                    float p = scores[j] / sum;
                    for (int c = 0; c < dk; c++)
                    {
                        context[contextBase + c] += p * values[headBase + j * dk + c];
                    }
                }
            }
        }

        Linear(context, rows, wo, bo, output);
    }

    private void Linear(float[] input, int rows, float[] w, float[] b, float[] result)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < dModel; o++)
            {
                float sum = b[o];
                for (int i = 0; i < dModel; i++)
                {
                    sum += input[r * dModel + i] * w[o * dModel + i];
                }

                result[r * dModel + o] = sum;
            }
        }
    }
}
