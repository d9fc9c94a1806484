namespace Summarizer.Inference;

/// <summary>
/// The <c>model</c> section of a bundle's config.json: every size of the network (names as in training/model.py's
/// <c>ModelConfig</c>). See docs/DESIGN.md.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Vocabulary size V (<c>vocab_size</c>).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Model width d_model (<c>d_model</c>).</summary>
    public required int DModel { get; init; }

    /// <summary>Attention heads per layer (<c>n_heads</c>).</summary>
    public required int HeadCount { get; init; }

    /// <summary>Feed-forward width (<c>d_ff</c>).</summary>
    public required int DFf { get; init; }

    /// <summary>Encoder layers (<c>n_enc_layers</c>).</summary>
    public required int EncoderLayers { get; init; }

    /// <summary>Decoder layers (<c>n_dec_layers</c>).</summary>
    public required int DecoderLayers { get; init; }

    /// <summary>Most source tokens (<c>max_src_len</c>).</summary>
    public required int MaxSourceLength { get; init; }

    /// <summary>Most decoder positions, BOS included (<c>max_tgt_len</c>).</summary>
    public required int MaxTargetLength { get; init; }

    /// <summary>LayerNorm epsilon (<c>norm_eps</c>).</summary>
    public float NormEps { get; init; } = 1e-5f;

    /// <summary>Padding id (<c>pad_id</c>).</summary>
    public int PadId { get; init; }

    /// <summary>Unknown-token id (<c>unk_id</c>).</summary>
    public int UnkId { get; init; } = 1;

    /// <summary>Beginning-of-sequence id, the decoder's first input (<c>bos_id</c>).</summary>
    public int BosId { get; init; } = 2;

    /// <summary>End-of-sequence id; generation stops there (<c>eos_id</c>).</summary>
    public int EosId { get; init; } = 3;

    /// <summary>Head size d_k = d_model / n_heads.</summary>
    public int DK => DModel / HeadCount;
}
