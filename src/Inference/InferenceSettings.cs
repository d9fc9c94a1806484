namespace Summarizer.Inference;

/// <summary>Runtime settings of a loaded summarizer (not of the model: those live in the bundle).</summary>
public sealed record InferenceSettings
{
    /// <summary>Threads ONNX Runtime may use inside one encoder call; 0 lets it choose (one per core). Range 0..256.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Threads a summary's decoder may use: 1, or 2 to share its int8 products with a helper thread on a second core while
    /// it is the only summary under way (<see cref="Summarizer.Attention.CoreSplit"/>; the same summaries either way).
    /// </summary>
    public int DecoderThreads { get; init; } = 1;

    /// <summary>
    /// Runs every decoder matrix as the weights file stores it, whatever the bundle's <c>decoder_quantization</c> says: for
    /// comparisons with the float decoder (benchmarks, the ONNX Runtime step), not for serving.
    /// </summary>
    public bool FullPrecisionDecoder { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (IntraOpThreads is < 0 or > 256)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "IntraOpThreads must be in 0..256 (0 = ONNX Runtime's default).");
        if (DecoderThreads is < 1 or > 2)
            throw new ArgumentOutOfRangeException(nameof(DecoderThreads), DecoderThreads, "DecoderThreads must be 1 or 2.");
    }
}
