namespace Summarizer.Attention.Tests;

/// <summary>Straightforward double-precision implementations that the float kernels are checked against.</summary>
internal static class Reference
{
    // y[rows, out] = x[rows, in] · Wᵀ + b
    public static double[] Linear(float[] x, float[] w, float[]? b, int rows, int inDim, int outDim)
    {
        var y = new double[rows * outDim];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outDim; o++)
            {
                double sum = b is null ? 0 : b[o];
                for (int i = 0; i < inDim; i++)
                {
                    sum += (double)x[r * inDim + i] * w[o * inDim + i];
                }

                y[r * outDim + o] = sum;
            }
        }

        return y;
    }

    public static double[] Linear(double[] x, float[] w, float[] b, int rows, int inDim, int outDim)
    {
        var y = new double[rows * outDim];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outDim; o++)
            {
                double sum = b[o];
                for (int i = 0; i < inDim; i++)
                {
                    sum += x[r * inDim + i] * w[o * inDim + i];
                }

                y[r * outDim + o] = sum;
            }
        }

        return y;
    }

    // Fully masked (all −∞) rows → zeros, as the library documents.
    public static double[] Softmax(double[] logits)
    {
        double max = double.NegativeInfinity;
        foreach (double l in logits)
        {
            max = Math.Max(max, l);
        }

        var p = new double[logits.Length];
        if (double.IsNegativeInfinity(max))
        {
            return p;
        }

        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            p[j] = Math.Exp(logits[j] - max);
            sum += p[j];
        }

        for (int j = 0; j < logits.Length; j++)
        {
            p[j] /= sum;
        }

        return p;
    }

    public static double MaskAt(float[]? mask, int i, int j, int keyCount) =>
        mask is null ? 0 : mask.Length == keyCount ? mask[j] : mask[i * keyCount + j];

    /// <summary>softmax(q·kᵀ·s + mask)·v with q [nq, dk] (doubles), k [nk, dk], v [nk, dv]; returns (output [nq, dv], weights [nq, nk]).</summary>
    public static (double[] Output, double[] Weights) DotProduct(
        Func<int, int, double> q, Func<int, int, double> k, Func<int, int, double> v,
        int nq, int nk, int dk, int dv, float[]? mask, bool scaled, bool causal)
    {
        var output = new double[nq * dv];
        var weights = new double[nq * nk];
        double scale = scaled ? 1 / Math.Sqrt(dk) : 1;
        for (int i = 0; i < nq; i++)
        {
            var logits = new double[nk];
            for (int j = 0; j < nk; j++)
            {
                double dot = 0;
                for (int c = 0; c < dk; c++)
                {
                    dot += q(i, c) * k(j, c);
                }

                logits[j] = dot * scale + MaskAt(mask, i, j, nk);
                if (causal && j > nk - nq + i)
                {
                    logits[j] = double.NegativeInfinity;
                }
            }

            double[] p = Softmax(logits);
            for (int j = 0; j < nk; j++)
            {
                weights[i * nk + j] = p[j];
                for (int c = 0; c < dv; c++)
                {
                    output[i * dv + c] += p[j] * v(j, c);
                }
            }
        }

        return (output, weights);
    }

    public static (double[] Output, double[] Weights) DotProduct(
        float[] q, float[] k, float[] v, int nq, int nk, int dk, int dv, float[]? mask, bool scaled, bool causal) =>
        DotProduct((i, c) => q[i * dk + c], (j, c) => k[j * dk + c], (j, c) => v[j * dv + c], nq, nk, dk, dv, mask, scaled, causal);

    /// <summary>Multi-head attention; returns (output [nq, d], weights [nq, heads, nk]).</summary>
    public static (double[] Output, double[] Weights) MultiHead(
        MultiHeadAttentionWeights w, float[] x, int nq, float[] memory, int nk, float[]? mask, bool causal)
    {
        int d = w.DModel, heads = w.HeadCount, dk = w.HeadDim;
        double[] q = Linear(x, w.Wq, w.Bq, nq, d, d);
        double[] k = Linear(memory, w.Wk, w.Bk, nk, d, d);
        double[] v = Linear(memory, w.Wv, w.Bv, nk, d, d);
        var context = new double[nq * d];
        var weights = new double[nq * heads * nk];
        for (int h = 0; h < heads; h++)
        {
            int off = h * dk;
            var (o, a) = DotProduct((i, c) => q[i * d + off + c], (j, c) => k[j * d + off + c], (j, c) => v[j * d + off + c], nq, nk, dk, dk, mask, true, causal);
            for (int i = 0; i < nq; i++)
            {
                for (int c = 0; c < dk; c++)
                {
                    context[i * d + off + c] = o[i * dk + c];
                }

                for (int j = 0; j < nk; j++)
                {
                    weights[(i * heads + h) * nk + j] = a[i * nk + j];
                }
            }
        }

        return (Linear(context, w.Wo, w.Bo, nq, d, d), weights);
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
            var logits = new double[nk];
            for (int j = 0; j < nk; j++)
            {
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

                logits[j] = score + MaskAt(mask, i, j, nk);
            }

            double[] p = Softmax(logits);
            for (int j = 0; j < nk; j++)
            {
                weights[i * nk + j] = p[j];
                for (int c = 0; c < dv; c++)
                {
                    output[i * dv + c] += p[j] * values[j * dv + c];
                }
            }
        }

        return (output, weights);
    }
}
