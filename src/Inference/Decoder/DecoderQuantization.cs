namespace Summarizer.Inference.Decoder;

/// <summary>
/// Which of the decoder's weight matrices run in int8 (<see cref="Attention.QuantizedLinear"/>: per-output weight
/// scales, each row of activations quantized on the fly), from the bundle's <c>decoder_quantization</c>. A step streams
/// every weight from memory, so a quarter of fp32's bytes and integer dot products make it faster; the outputs are close
/// to, not equal to, the float ones (the bundle's quality figures are measured with what it names). On a CPU without
/// AVX-VNNI the matrices stay as stored (<see cref="Attention.QuantizedLinear.IsSupported"/>).
/// </summary>
[Flags]
public enum DecoderQuantization
{
    /// <summary>Every matrix as the weights file stores it (float, or exact halves).</summary>
    None = 0,

    /// <summary>The shortlist projection h · W_outᵀ, the largest product of a step.</summary>
    OutputProjection = 1,

    /// <summary>Both layers of each block's feed-forward network.</summary>
    FeedForward = 2,

    /// <summary>
    /// The projections W_q, W_k, W_v, W_o of each block's self-attention and cross-attention, in the step paths, and the
    /// cross-attention keys and values of the encoder memory that a request computes once.
    /// </summary>
    Attention = 4,
}
