using Summarizer.Inference.Decoder;

namespace Summarizer.Inference.Tests.Support;

/// <summary>
/// DESIGN.md's post-LayerNorm decoder written out in plain loops over the whole target prefix (no cache, no SIMD, doubles), as an
/// independent check of <see cref="TransformerDecoder"/>: returns the last position's log-probs, copy attention and p_gen.
/// </summary>
internal static class ReferenceDecoderMath
{
    public static (double[] LogProbs, double[] CopyAttention, double GenerationProbability) Last(DecoderWeights w, float[] memory, int[] src, IReadOnlyList<int> prefix)
    {
        var c = w.Config;
        int d = c.DModel, T = prefix.Count, S = src.Length, H = c.HeadCount, dk = c.HeadDim;
        var y = new double[T][];
        for (var t = 0; t < T; t++)
            y[t] = Ln(Enumerable.Range(0, d).Select(i => (double)w.Embedding[prefix[t] * d + i] + w.Positions[t * d + i]).ToArray(),
                w.EmbeddingNormWeight, w.EmbeddingNormBias, c.NormEps);
        var mem = Enumerable.Range(0, S).Select(j => Enumerable.Range(0, d).Select(i => (double)memory[j * d + i]).ToArray()).ToArray();
        double[][] lastCross = [];
        foreach (var layer in w.Layers)
        {
            var (a, _) = Mha(y, y, layer.SelfAttention, causal: true, H, dk);
            y = y.Select((r, t) => Ln(Add(r, a[t]), layer.Ln1Weight, layer.Ln1Bias, c.NormEps)).ToArray();
            var (x, weights) = Mha(y, mem, layer.CrossAttention, causal: false, H, dk);
            lastCross = weights[T - 1];
            y = y.Select((r, t) => Ln(Add(r, x[t]), layer.Ln2Weight, layer.Ln2Bias, c.NormEps)).ToArray();
            y = y.Select(r => Ln(Add(r, Lin(Lin(r, layer.Fc1Weight, layer.Fc1Bias).Select(Gelu).ToArray(), layer.Fc2Weight, layer.Fc2Bias)),
                layer.Ln3Weight, layer.Ln3Bias, c.NormEps)).ToArray();
        }
        var hf = y[T - 1];
        var copy = Enumerable.Range(0, S).Select(j => Enumerable.Range(0, H).Average(hh => lastCross[hh][j])).ToArray();
        var ctx = Enumerable.Range(0, d).Select(i => Enumerable.Range(0, S).Sum(j => copy[j] * mem[j][i])).ToArray();
        var g = w.GenBias + Enumerable.Range(0, d).Sum(i => w.GenWeight[i] * hf[i] + w.GenWeight[d + i] * ctx[i]);
        var pGen = 1 / (1 + Math.Exp(-g));
        var logits = Lin(hf, w.OutWeight, w.OutBias);
        var max = logits.Max();
        var z = logits.Sum(l => Math.Exp(l - max));
        var p = new double[c.VocabSize];
        for (var i = 0; i < c.ShortlistSize; i++)
            p[w.GenIds[i]] += pGen * Math.Exp(logits[i] - max) / z;
        for (var j = 0; j < S; j++)
            p[src[j]] += (1 - pGen) * copy[j];
        return (p.Select(x => Math.Log(Math.Max(x, 1e-12))).ToArray(), copy, pGen);
    }

    private static (double[][] Out, double[][][] Weights) Mha(double[][] x, double[][] m, Summarizer.Attention.MultiHeadAttentionWeights w, bool causal, int heads, int dk)
    {
        var q = x.Select(r => Lin(r, w.Wq, w.Bq)).ToArray();
        var k = m.Select(r => Lin(r, w.Wk, w.Bk)).ToArray();
        var v = m.Select(r => Lin(r, w.Wv, w.Bv)).ToArray();
        var outs = new double[x.Length][];
        var weights = new double[x.Length][][];
        for (var t = 0; t < x.Length; t++)
        {
            var concat = new double[heads * dk];
            weights[t] = new double[heads][];
            for (var h = 0; h < heads; h++)
            {
                var keys = causal ? t + 1 : m.Length;
                var s = Enumerable.Range(0, keys).Select(j => Enumerable.Range(0, dk).Sum(i => q[t][h * dk + i] * k[j][h * dk + i]) / Math.Sqrt(dk)).ToArray();
                var max = s.Max();
                var e = s.Select(a => Math.Exp(a - max)).ToArray();
                var sum = e.Sum();
                var a = e.Select(x => x / sum).ToArray();
                weights[t][h] = a;
                for (var i = 0; i < dk; i++)
                    concat[h * dk + i] = Enumerable.Range(0, keys).Sum(j => a[j] * v[j][h * dk + i]);
            }
            outs[t] = Lin(concat, w.Wo, w.Bo);
        }
        return (outs, weights);
    }

    private static double[] Lin(double[] x, float[] w, float[] b) =>
        Enumerable.Range(0, b.Length).Select(o => b[o] + Enumerable.Range(0, x.Length).Sum(i => (double)w[o * x.Length + i] * x[i])).ToArray();

    private static double[] Ln(double[] x, float[] g, float[] b, float eps)
    {
        var mean = x.Average();
        var variance = x.Average(a => (a - mean) * (a - mean));
        return x.Select((a, i) => (a - mean) / Math.Sqrt(variance + eps) * g[i] + b[i]).ToArray();
    }

    private static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    private static double[] Add(double[] a, double[] b) => a.Select((x, i) => x + b[i]).ToArray();
}
