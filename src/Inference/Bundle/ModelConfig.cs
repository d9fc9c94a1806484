namespace Summarizer.Inference;

/// <summary>
/// The <c>model</c> section of a bundle's config.json: every size of the decoder and the special ids it shares with the
/// encoder's WordPiece vocabulary. Every key is required (training/export.py writes them all from training/model.py's
/// <c>ModelConfig</c>, whose fields are these keys and whose defaults are the only ones). See docs/DESIGN.md "Decoder".
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Vocabulary size V (<c>vocab_size</c>): the encoder's WordPiece vocabulary, 30,522 for BERT uncased.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Model width d_model (<c>d_model</c>), the encoder's hidden size.</summary>
    public required int DModel { get; init; }

    /// <summary>Attention heads per decoder layer (<c>n_heads</c>).</summary>
    public required int HeadCount { get; init; }

    /// <summary>Hidden width of the decoder's feed-forward layers, d_ff (<c>d_ff</c>).</summary>
    public required int FeedForwardDim { get; init; }

    /// <summary>Decoder layers (<c>n_dec_layers</c>).</summary>
    public required int DecoderLayers { get; init; }

    /// <summary>Size of the generation shortlist, n_gen (<c>n_gen</c>): the ids the decoder can generate rather than copy.</summary>
    public required int ShortlistSize { get; init; }

    /// <summary>Most source tokens (<c>max_src_len</c>), CLS and SEP not counted.</summary>
    public required int MaxSourceLength { get; init; }

    /// <summary>Most decoder positions, BOS included (<c>max_tgt_len</c>).</summary>
    public required int MaxTargetLength { get; init; }

    /// <summary>LayerNorm epsilon (<c>norm_eps</c>), BERT's 1e-12 in the shipped bundle.</summary>
    public required float NormEps { get; init; }

    /// <summary>Padding id (<c>pad_id</c>, <c>[PAD]</c>).</summary>
    public required int PadId { get; init; }

    /// <summary>Unknown-token id (<c>unk_id</c>, <c>[UNK]</c>).</summary>
    public required int UnkId { get; init; }

    /// <summary>Beginning-of-sequence id, the decoder's first input (<c>bos_id</c>, <c>[CLS]</c>).</summary>
    public required int BosId { get; init; }

    /// <summary>End-of-sequence id; generation stops there (<c>eos_id</c>, <c>[SEP]</c>).</summary>
    public required int EosId { get; init; }

    /// <summary>Width of one attention head, d_k = d_model / n_heads.</summary>
    public int HeadDim => DModel / HeadCount;
}
