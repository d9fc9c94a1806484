namespace Summarizer.Inference;

/// <summary>Runtime settings of a loaded summarizer (not of the model: those live in the bundle).</summary>
public sealed record InferenceSettings
{
    /// <summary>Threads ONNX Runtime may use inside one encoder call; 0 lets it choose (one per core). Range 0..256.</summary>
    public int IntraOpThreads { get; init; }

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
    }
}
