namespace Summarizer.Inference;

/// <summary>How much of the decoder's cross-attention a result carries.</summary>
public enum AttentionDetail
{
    /// <summary>No attention maps (smallest response).</summary>
    None,

    /// <summary>The copy distribution: the last decoder layer's cross-attention averaged over heads.</summary>
    Aggregate,

    /// <summary>The aggregate plus every layer and head.</summary>
    Full,
}
