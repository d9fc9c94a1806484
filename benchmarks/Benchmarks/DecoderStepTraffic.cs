using System.Globalization;
using Summarizer.Attention;
using Summarizer.Inference.Decoder;

namespace Summarizer.Benchmarks;

/// <summary>
/// The bytes one decoder step must move at the least, stage by stage: the numerator of its roofline (time ≥ bytes /
/// memory bandwidth). Each weight matrix counts once (the rows of a step share each pass over a weight), as each side
/// stores it: the native decoder keeps a bundle's fp16-exact matrices as halves (<see cref="PackedLinear"/>), ONNX Runtime
/// multiplies fp32. Everything else is fp32 on both sides: biases and LayerNorms, the caches a step attends over (the
/// self-attention K/V including the new position, the cross-attention K/V computed once per request), the encoder memory
/// of the copy context c = a·memory, one E row per row, and the log-probs written.
/// </summary>
internal sealed class DecoderStepTraffic
{
    private DecoderStepTraffic(IReadOnlyList<Stage> stages, long selfCacheValues)
    {
        Stages = stages;
        SelfCacheValues = selfCacheValues;
    }

    /// <summary>The step's stages in order; every layer's part of a stage counted together.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>Self-attention K/V values attended over, all layers and rows (ONNX Runtime also writes them anew as its presents).</summary>
    public long SelfCacheValues { get; }

    /// <summary>The traffic of one step of <paramref name="rows"/> rows at <paramref name="position"/> over a source of <paramref name="sourceLength"/> tokens.</summary>
    public static DecoderStepTraffic Of(DecoderWeights weights, int sourceLength, int rows, int position)
    {
        long d = weights.EmbeddingNormWeight.Length, s = sourceLength, keys = position + 1L;
        long selfMatrices = 0, selfOther = 0, crossMatrices = 0, crossOther = 0, ffnMatrices = 0, ffnOther = 0;
        foreach (var layer in weights.Layers)
        {
            var (self, cross) = (layer.SelfAttention, layer.CrossAttention);
            selfMatrices += self.Wq.Length + self.Wk.Length + self.Wv.Length + self.Wo.Length;
            selfOther += 4 * d /* biases */ + 2 * d /* LN1 */ + 2 * rows * keys * d /* K, V */;
            crossMatrices += cross.Wq.Length + cross.Wo.Length; // W_k, W_v made the per-request cross K/V
            crossOther += 2 * d + 2 * d /* LN2 */ + 2 * s * d /* cross K, V */;
            ffnMatrices += layer.Fc1Weight.Length + layer.Fc2Weight.Length;
            ffnOther += layer.Fc1Bias.Length + layer.Fc2Bias.Length + 2 * d /* LN3 */;
        }
        var layers = weights.Layers.Length;
        var vocabulary = weights.Embedding.Length / d;
        Stage[] stages =
        [
            new($"self-attention ×{layers} (q, k, v, o, {keys} positions, LN1)", selfMatrices, selfOther),
            new($"cross-attention ×{layers} (q, o, {s} source positions, LN2)", crossMatrices, crossOther),
            new($"feed-forward ×{layers} (fc1, GELU, fc2, LN3)", ffnMatrices, ffnOther),
            new("shortlist projection h·W_outᵀ", weights.OutWeight.Length, weights.OutBias.Length),
            new("the rest (embedding, copy mixture, log-probs written)",
                0, rows * d /* E rows */ + d /* P */ + 2 * d /* LN_emb */ + s * d /* memory */ + weights.GenWeight.Length + 1 + rows * vocabulary),
        ];
        return new DecoderStepTraffic(stages, layers * 2 * rows * keys * d);
    }

    /// <summary>Whether the native decoder stores these weight matrices as halves (an fp16-exact bundle).</summary>
    public static bool NativeStoresHalves(DecoderWeights weights) =>
        new PackedLinear(weights.OutWeight, weights.OutBias.Length, weights.EmbeddingNormWeight.Length).IsHalfStorage;

    /// <summary>Bytes per step with weight matrices of <paramref name="weightBytes"/> bytes per value.</summary>
    public long Bytes(int weightBytes) => Stages.Sum(stage => stage.Bytes(weightBytes));

    /// <summary>ONNX Runtime's bytes per step: fp32 weights, and its present K/V written to fresh tensors (the native cache appends in place).</summary>
    public long OnnxRuntimeBytes => Bytes(4) + 4 * SelfCacheValues;

    /// <summary>One line for the benchmark's log, in MB (10⁶ bytes).</summary>
    public string Describe(int nativeWeightBytes) => string.Create(CultureInfo.InvariantCulture,
        $"native {Bytes(nativeWeightBytes) / 1e6:F2} MB ({string.Join(", ", Stages.Select(s => $"{s.Name} {s.Bytes(nativeWeightBytes) / 1e6:F2}"))}); " +
        $"ONNX Runtime {OnnxRuntimeBytes / 1e6:F2} MB (fp32 weight matrices, presents written)");

    /// <summary>One stage: its weight-matrix values and its other (fp32) values.</summary>
    public sealed record Stage(string Name, long MatrixValues, long OtherValues)
    {
        /// <summary>Bytes with weight matrices of <paramref name="weightBytes"/> bytes per value.</summary>
        public long Bytes(int weightBytes) => weightBytes * MatrixValues + 4 * OtherValues;
    }
}
