using Summarizer.Attention;

namespace Summarizer.Inference.Decoder;

/// <summary>
/// The parameters of decoder layer i (<c>dec.{i}.*</c> in decoder.safetensors), torch layout. Post-LayerNorm (BERT): each
/// LayerNorm normalizes the residual sum after its sub-block, y = LN(y + sub-block(y)).
/// </summary>
public sealed class DecoderLayerWeights
{
    /// <summary>LN1 γ: [d_model] (<c>dec.{i}.ln1</c>), after self-attention.</summary>
    public required float[] Ln1Weight { get; init; }

    /// <summary>LN1 β: [d_model].</summary>
    public required float[] Ln1Bias { get; init; }

    /// <summary>Masked self-attention (<c>dec.{i}.self_attn.{q,k,v,o}</c>): W [d_model, d_model], b [d_model].</summary>
    public required MultiHeadAttentionWeights SelfAttention { get; init; }

    /// <summary>LN2 γ: [d_model] (<c>dec.{i}.ln2</c>), after cross-attention.</summary>
    public required float[] Ln2Weight { get; init; }

    /// <summary>LN2 β: [d_model].</summary>
    public required float[] Ln2Bias { get; init; }

    /// <summary>Cross-attention over the encoder memory (<c>dec.{i}.cross_attn.{q,k,v,o}</c>).</summary>
    public required MultiHeadAttentionWeights CrossAttention { get; init; }

    /// <summary>LN3 γ: [d_model] (<c>dec.{i}.ln3</c>), after the feed-forward block.</summary>
    public required float[] Ln3Weight { get; init; }

    /// <summary>LN3 β: [d_model].</summary>
    public required float[] Ln3Bias { get; init; }

    /// <summary>FFN first linear W: [d_ff, d_model] (<c>dec.{i}.ffn.fc1.weight</c>).</summary>
    public required float[] Fc1Weight { get; init; }

    /// <summary>FFN first linear b: [d_ff].</summary>
    public required float[] Fc1Bias { get; init; }

    /// <summary>FFN second linear W: [d_model, d_ff] (<c>dec.{i}.ffn.fc2.weight</c>).</summary>
    public required float[] Fc2Weight { get; init; }

    /// <summary>FFN second linear b: [d_model].</summary>
    public required float[] Fc2Bias { get; init; }
}
