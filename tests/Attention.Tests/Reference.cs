using Summarizer.Reference;

namespace Summarizer.Attention.Tests;

/// <summary>
/// The tests' view of the shared scalar reference (tests/Reference/ScalarAttention.cs) in double precision, shaped as
/// the kernels under test are: float inputs in, double results out.
/// </summary>
internal static class Reference
{
    private static double[] Widen(ReadOnlySpan<float> x)
    {
        var d = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            d[i] = x[i];
        }

        return d;
    }

    // Causal: query i (the last nq of nk positions) sees keys up to nk − nq + i.
    private static int Visible(bool causal, int i, int nq, int nk) => causal ? nk - nq + i + 1 : nk;

    private static ReadOnlySpan<float> MaskRow(float[]? mask, int i, int keyCount) =>
        mask is null ? default : mask.Length == keyCount ? mask : mask.AsSpan(i * keyCount, keyCount);

    // y[rows, out] = x[rows, in] · Wᵀ + b
    public static double[] Linear(float[] x, float[] w, float[]? b, int rows, int inDim, int outDim)
    {
        var y = new double[rows * outDim];
        ScalarAttention<double>.Linear(Widen(x), w, b, rows, inDim, outDim, y);
        return y;
    }

    /// <summary>softmax(q·kᵀ·s + mask)·v with q [nq, dk], k [nk, dk], v [nk, dv]; returns (output [nq, dv], weights [nq, nk]).</summary>
    public static (double[] Output, double[] Weights) DotProduct(
        float[] q, float[] k, float[] v, int nq, int nk, int dk, int dv, float[]? mask, bool scaled, bool causal)
    {
        double[] qd = Widen(q), kd = Widen(k), vd = Widen(v);
        var output = new double[nq * dv];
        var weights = new double[nq * nk];
        double scale = scaled ? 1 / Math.Sqrt(dk) : 1;
        for (int i = 0; i < nq; i++)
        {
            ScalarAttention<double>.Attend(qd.AsSpan(i * dk, dk), kd, dk, vd, dv, nk, dk, dv, scale, MaskRow(mask, i, nk),
                Visible(causal, i, nq, nk), weights.AsSpan(i * nk, nk), output.AsSpan(i * dv, dv));
        }

        return (output, weights);
    }

    /// <summary>Multi-head attention; returns (output [nq, d], weights [nq, heads, nk]).</summary>
    public static (double[] Output, double[] Weights) MultiHead(
        MultiHeadAttentionWeights w, float[] x, int nq, float[] memory, int nk, float[]? mask, bool causal)
    {
        int d = w.DModel, heads = w.HeadCount, dk = w.HeadDim;
        double[] xd = Widen(x), md = Widen(memory);
        double[] q = new double[nq * d], k = new double[nk * d], v = new double[nk * d];
        ScalarAttention<double>.Linear(xd, w.Wq, w.Bq, nq, d, d, q);
        ScalarAttention<double>.Linear(md, w.Wk, w.Bk, nk, d, d, k);
        ScalarAttention<double>.Linear(md, w.Wv, w.Bv, nk, d, d, v);
        var context = new double[nq * d];
        var weights = new double[nq * heads * nk];
        double scale = 1 / Math.Sqrt(dk);
        for (int i = 0; i < nq; i++)
        {
            for (int h = 0; h < heads; h++)
            {
                // Head h is columns h·d_k .. of every projected row: stride d.
                ScalarAttention<double>.Attend(q.AsSpan(i * d + h * dk, dk), k.AsSpan(h * dk), d, v.AsSpan(h * dk), d, nk, dk, dk, scale,
                    MaskRow(mask, i, nk), Visible(causal, i, nq, nk), weights.AsSpan((i * heads + h) * nk, nk), context.AsSpan(i * d + h * dk, dk));
            }
        }

        var output = new double[nq * d];
        ScalarAttention<double>.Linear(context, w.Wo, w.Bo, nq, d, d, output);
        return (output, weights);
    }

    /// <summary>Bahdanau attention; returns (output [nq, dv], weights [nq, nk]).</summary>
    public static (double[] Output, double[] Weights) Additive(
        float[] wq, float[] wk, float[] b, float[] vs, float[] queries, float[] keys, float[] values,
        int nq, int nk, int dq, int dk, int a, int dv, float[]? mask)
    {
        var output = new double[nq * dv];
        var weights = new double[nq * nk];
        for (int i = 0; i < nq; i++)
        {
            var p = weights.AsSpan(i * nk, nk);
            ReadOnlySpan<float> maskRow = MaskRow(mask, i, nk);
            for (int j = 0; j < nk; j++)
            {
                // score(q, k) = vᵀ · tanh(W_q·q + W_k·k + b)
                double score = 0;
                for (int u = 0; u < a; u++)
                {
                    double h = b[u];
                    for (int c = 0; c < dq; c++)
                    {
                        h += (double)wq[u * dq + c] * queries[i * dq + c];
                    }

                    for (int c = 0; c < dk; c++)
                    {
                        h += (double)wk[u * dk + c] * keys[j * dk + c];
                    }

                    score += vs[u] * Math.Tanh(h);
                }

                p[j] = score + (maskRow.IsEmpty ? 0 : maskRow[j]);
            }

            ScalarAttention<double>.Softmax(p);
            for (int j = 0; j < nk; j++)
            {
                for (int c = 0; c < dv; c++)
                {
                    output[i * dv + c] += p[j] * values[j * dv + c];
                }
            }
        }

        return (output, weights);
    }
}
