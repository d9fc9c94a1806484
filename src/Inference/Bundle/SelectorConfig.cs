namespace Summarizer.Inference;

/// <summary>
/// The bundle's <c>selector</c> section: the sentence selector's sizes (training/selector.py's SelectorConfig) and its
/// weights file. A bundle without one has no extractive mode.
/// </summary>
public sealed record SelectorConfig
{
    /// <summary>Weights file in the bundle (<c>selector.file</c>, a .safetensors file).</summary>
    public required string File { get; init; }

    /// <summary>d_mem: the encoder's width, which the selector reads.</summary>
    public required int DMemory { get; init; }

    /// <summary>d: the selector's width.</summary>
    public required int DModel { get; init; }

    /// <summary>Heads of its self-attention over the sentences.</summary>
    public required int HeadCount { get; init; }

    /// <summary>d_ff: hidden width of its feed-forward layers.</summary>
    public required int FeedForwardDim { get; init; }

    /// <summary>Sentence layers.</summary>
    public required int Layers { get; init; }

    /// <summary>d_a: hidden width of the additive pooling.</summary>
    public required int DAttention { get; init; }

    /// <summary>Sentence positions; later sentences share the last one.</summary>
    public required int MaxSentences { get; init; }

    /// <summary>LayerNorm epsilon.</summary>
    public float NormEps { get; init; } = 1e-5f;

    /// <summary>Sentences an extractive summary has when the request does not say (<c>selector.sentence_count</c>).</summary>
    public int SentenceCount { get; init; } = 3;
}
