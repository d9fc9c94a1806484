using System.Globalization;
using Summarizer.Attention;
using Summarizer.Inference.Decoder;

namespace Summarizer.Benchmarks;

/// <summary>
/// The bytes one decoder step must move at the least, the numerator of its roofline (time ≥ bytes / memory bandwidth):
/// every weight matrix the step multiplies by, once (the rows of a step share each pass over a weight); the small
/// parameters (biases, LayerNorms, w_gen, a position row, one E row per row); the cross-attention K/V of every layer; the
/// self-attention cache it attends over; the encoder memory of the copy context c = a·memory; and the log-probs it writes.
/// Weight matrices count as each side stores them: the native decoder keeps a bundle's fp16-exact matrices as halves
/// (<see cref="PackedLinear"/>), ONNX Runtime multiplies fp32; everything else is fp32 on both sides.
/// </summary>
/// <param name="MatrixWeights">Weight-matrix values: self-attention q, k, v, o; cross-attention q, o (its k, v are the
/// per-request cache); FFN fc1, fc2 — per layer — and the shortlist projection W_out.</param>
/// <param name="SmallParameters">Every other value read per step.</param>
/// <param name="CrossKeyValues">Cross-attention K and V values, all layers (computed once per request).</param>
/// <param name="SelfCache">Self-attention K and V values attended over, all layers and rows, the new position included.</param>
/// <param name="Memory">Encoder memory values (S × d_model).</param>
/// <param name="Output">Log-prob values written (rows × V).</param>
internal sealed record DecoderStepTraffic(long MatrixWeights, long SmallParameters, long CrossKeyValues, long SelfCache, long Memory, long Output)
{
    /// <summary>The traffic of one step of <paramref name="rows"/> rows at <paramref name="position"/> over a source of <paramref name="sourceLength"/> tokens.</summary>
    public static DecoderStepTraffic Of(DecoderWeights weights, int sourceLength, int rows, int position)
    {
        var d = weights.EmbeddingNormWeight.Length;
        long matrices = weights.OutWeight.Length, small = weights.OutBias.Length + weights.GenWeight.Length + 1
            + 2L * d /* LN_emb */ + d /* P[position] */ + (long)rows * d /* E[token] */;
        foreach (var layer in weights.Layers)
        {
            var (self, cross) = (layer.SelfAttention, layer.CrossAttention);
            matrices += self.Wq.Length + self.Wk.Length + self.Wv.Length + self.Wo.Length + cross.Wq.Length + cross.Wo.Length
                + layer.Fc1Weight.Length + layer.Fc2Weight.Length;
            small += self.Bq.Length + self.Bk.Length + self.Bv.Length + self.Bo.Length + cross.Bq.Length + cross.Bo.Length
                + layer.Fc1Bias.Length + layer.Fc2Bias.Length + 6L * d /* LN1..3 */;
        }
        long layers = weights.Layers.Length;
        return new DecoderStepTraffic(matrices, small, layers * 2 * sourceLength * d, layers * 2 * rows * (position + 1L) * d,
            (long)sourceLength * d, (long)rows * weights.Embedding.Length / d);
    }

    /// <summary>Whether the native decoder stores these weight matrices as halves (an fp16-exact bundle).</summary>
    public static bool NativeStoresHalves(DecoderWeights weights) =>
        new PackedLinear(weights.OutWeight, weights.OutBias.Length, weights.EmbeddingNormWeight.Length).IsHalfStorage;

    /// <summary>Bytes per step with weight matrices of <paramref name="weightBytes"/> bytes per value.</summary>
    public long Bytes(int weightBytes) => weightBytes * MatrixWeights + 4 * (SmallParameters + CrossKeyValues + SelfCache + Memory + Output);

    /// <summary>
    /// ONNX Runtime's extra: the step graph writes its present K/V (past + the new position) to fresh tensors each step,
    /// where the native cache appends one position in place.
    /// </summary>
    public long OnnxPresentCopyBytes => 4 * SelfCache;

    /// <summary>One line per component, in MB (10⁶ bytes), for the benchmark's log.</summary>
    public string Describe(int nativeWeightBytes) => string.Create(CultureInfo.InvariantCulture,
        $"weight matrices {MatrixWeights:N0} values ({nativeWeightBytes * MatrixWeights / 1e6:F2} MB native, {4 * MatrixWeights / 1e6:F2} MB fp32), " +
        $"small parameters {4 * SmallParameters / 1e6:F3} MB, cross K/V {4 * CrossKeyValues / 1e6:F2} MB, self cache {4 * SelfCache / 1e6:F3} MB, " +
        $"memory {4 * Memory / 1e6:F3} MB, log-probs written {4 * Output / 1e6:F3} MB; total native {Bytes(nativeWeightBytes) / 1e6:F2} MB, " +
        $"ONNX Runtime {(Bytes(4) + OnnxPresentCopyBytes) / 1e6:F2} MB (fp32 weights + {OnnxPresentCopyBytes / 1e6:F3} MB of presents written)");
}
