namespace Summarizer.Inference.Decoding;

/// <summary>
/// The model half of decoding (CTranslate2 style): computes one decoder step for a block of rows (one per live
/// hypothesis) and keeps its own caches. It knows nothing about search; <see cref="GreedySearch"/> and
/// <see cref="BeamSearch"/> know nothing about the network.
/// </summary>
public interface IStepModel
{
    /// <summary>Vocabulary size V: the width of <see cref="LogProbs"/>.</summary>
    int VocabSize { get; }

    /// <summary>Source token count S: the width of <see cref="CopyAttention"/>.</summary>
    int SourceLength { get; }

    /// <summary>Most rows one <see cref="Step"/> may take (the beam width the state was sized for).</summary>
    int MaxRows { get; }

    /// <summary>Width of one row of <see cref="LayerAttention"/> (layers × heads × S); 0 when per-layer attention is not captured.</summary>
    int LayerAttentionLength { get; }

    /// <summary>
    /// Runs one step: row r feeds <paramref name="tokens"/>[r] at decoder position <paramref name="position"/> and
    /// appends to row r's cache. Afterwards the output accessors hold this step's results for rows 0..tokens.Length-1.
    /// </summary>
    void Step(ReadOnlySpan<int> tokens, int position);

    /// <summary>[V] log P(w) of row <paramref name="row"/> from the last step; writable so logits processors can ban tokens in place.</summary>
    Span<float> LogProbs(int row);

    /// <summary>[S] copy distribution (last layer's cross-attention averaged over heads) of row <paramref name="row"/>.</summary>
    ReadOnlySpan<float> CopyAttention(int row);

    /// <summary>p_gen of row <paramref name="row"/>: the probability that its next token is generated from the shortlist rather than copied (the copy probability is 1 − p_gen).</summary>
    float GenerationProbability(int row);

    /// <summary>[layers, heads, S] cross-attention of row <paramref name="row"/>; empty when not captured.</summary>
    ReadOnlySpan<float> LayerAttention(int row);

    /// <summary>Reorders the caches for the next step: new row i continues old row <paramref name="parents"/>[i].</summary>
    void Reorder(ReadOnlySpan<int> parents);
}
