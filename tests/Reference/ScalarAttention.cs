using System.Numerics;

namespace Summarizer.Reference;

/// <summary>
/// Attention as the formulas read, in plain scalar loops: the one reference the kernels of src/Attention are checked
/// against (T = double, in tests/Attention.Tests) and timed against (T = float, the comparator of benchmarks/). No
/// SIMD, no blocking; inner loops walk contiguous memory, as a sensible scalar loop would; nothing is allocated.
/// </summary>
/// <typeparam name="T">The accumulation type: double for accuracy, float for a fair speed comparison.</typeparam>
internal static class ScalarAttention<T> where T : IFloatingPointIeee754<T>
{
    /// <summary>y[rows, out] = x[rows, in] · Wᵀ + b, W row-major [out, in]; <paramref name="b"/> empty for no bias.</summary>
    public static void Linear(ReadOnlySpan<T> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, int rows, int inDim, int outDim, Span<T> y)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outDim; o++)
            {
                T sum = b.IsEmpty ? T.Zero : T.CreateTruncating(b[o]);
                for (int i = 0; i < inDim; i++)
                {
                    sum += x[r * inDim + i] * T.CreateTruncating(w[o * inDim + i]);
                }

                y[r * outDim + o] = sum;
            }
        }
    }

    /// <summary>
    /// One query over nk keys: a = softmax(q·kⱼ·scale + mask[j]), output = Σⱼ aⱼ·vⱼ. Key j is
    /// keys[j·keyStride .. + dk], value j is values[j·valueStride .. + dv] (one head's slice of a wider row, or a
    /// head-major cache). Keys from <paramref name="visible"/> on are masked (causal); a fully masked row gives zero
    /// weights and a zero output, as the library documents.
    /// </summary>
    public static void Attend(ReadOnlySpan<T> q, ReadOnlySpan<T> keys, int keyStride, ReadOnlySpan<T> values, int valueStride,
        int nk, int dk, int dv, T scale, ReadOnlySpan<float> mask, int visible, Span<T> weights, Span<T> output)
    {
        for (int j = 0; j < nk; j++)
        {
            T dot = T.Zero;
            for (int c = 0; c < dk; c++)
            {
                dot += q[c] * keys[j * keyStride + c];
            }

            weights[j] = j >= visible ? T.NegativeInfinity : dot * scale + (mask.IsEmpty ? T.Zero : T.CreateTruncating(mask[j]));
        }

        Softmax(weights[..nk]);
        output[..dv].Clear();
        for (int j = 0; j < nk; j++)
        {
            T p = weights[j];
            for (int c = 0; c < dv; c++)
            {
                output[c] += p * values[j * valueStride + c];
            }
        }
    }

    /// <summary>In place: p = exp(l − max) / Σ exp(l − max); all −∞ → zeros.</summary>
    public static void Softmax(Span<T> logits)
    {
        T max = T.NegativeInfinity;
        foreach (T l in logits)
        {
            max = T.Max(max, l);
        }

        if (T.IsNegativeInfinity(max))
        {
            logits.Clear();
            return;
        }

        T sum = T.Zero;
        for (int j = 0; j < logits.Length; j++)
        {
            logits[j] = T.Exp(logits[j] - max);
            sum += logits[j];
        }

        for (int j = 0; j < logits.Length; j++)
        {
            logits[j] /= sum;
        }
    }
}
