using Summarizer.Attention;

namespace Summarizer.Inference.Selector;

/// <summary>One post-LN sentence layer: h = LN1(h + MHA(h, h)); h = LN2(h + FFN(h)) (<c>layers.{i}.*</c>).</summary>
public sealed class SentenceLayerWeights
{
    /// <summary>Self-attention over the sentences.</summary>
    public required MultiHeadAttentionWeights SelfAttention { get; init; }

    /// <summary>LN1 γ: [d].</summary>
    public required float[] Ln1Weight { get; init; }

    /// <summary>LN1 β: [d].</summary>
    public required float[] Ln1Bias { get; init; }

    /// <summary>FFN fc1: [d_ff, d].</summary>
    public required float[] Fc1Weight { get; init; }

    /// <summary>FFN fc1 bias: [d_ff].</summary>
    public required float[] Fc1Bias { get; init; }

    /// <summary>FFN fc2: [d, d_ff].</summary>
    public required float[] Fc2Weight { get; init; }

    /// <summary>FFN fc2 bias: [d].</summary>
    public required float[] Fc2Bias { get; init; }

    /// <summary>LN2 γ: [d].</summary>
    public required float[] Ln2Weight { get; init; }

    /// <summary>LN2 β: [d].</summary>
    public required float[] Ln2Bias { get; init; }
}
