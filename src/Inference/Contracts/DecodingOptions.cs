namespace Summarizer.Inference;

/// <summary>
/// Generation settings, named as in Hugging Face <c>generate</c> and CTranslate2. Every field is resolved: a request's
/// missing options are filled from the model's defaults (<see cref="ModelInfo.Defaults"/>, the bundle's <c>decoding</c>
/// section, where every key is required) before decoding, so this type has no defaults of its own. Each field's range is
/// its rule in <see cref="DecodingOptionsValidator.Rules"/> (decoding-rules.json).
/// </summary>
public sealed record DecodingOptions
{
    /// <summary>Most generated tokens, end-of-sequence included. At most the model's max target length.</summary>
    public int MaxLength { get; init; }

    /// <summary>Fewest generated tokens before end-of-sequence is allowed (at most MaxLength; with <see cref="Grounded"/>, at most the tokens the model reads of the source).</summary>
    public int MinLength { get; init; }

    /// <summary>Beam width; 1 is greedy decoding.</summary>
    public int NumBeams { get; init; }

    /// <summary>Exponent of the length normalisation score / length^LengthPenalty.</summary>
    public float LengthPenalty { get; init; }

    /// <summary>No n-gram of this size may occur twice in the output; 0 turns it off.</summary>
    public int NoRepeatNgramSize { get; init; }

    /// <summary>Beam search stops as soon as NumBeams hypotheses are finished (true) or when none can improve (false).</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>
    /// Grounded decoding (docs/DESIGN.md): every word is a source word or a vocabulary whole word, every number one the
    /// source states, and no word is written twice in a row. training/decoding.py's reference search has only the
    /// plain rules, so its parity fixtures run with it off.
    /// </summary>
    public bool Grounded { get; init; }

    /// <summary>With <see cref="Grounded"/>: no n-gram of this many words may occur twice; 0 turns it off.</summary>
    public int NoRepeatWordNgramSize { get; init; }

    /// <summary>With <see cref="Grounded"/>: most times one content word (not a stopword) may be written; 0 = no limit.</summary>
    public int MaxWordRepeats { get; init; }

    /// <summary>
    /// With <see cref="Grounded"/>: added to the log-probability of every piece that follows the previous piece somewhere
    /// in the source, so the search prefers copying the source's phrases whole to stitching words together; 0 = off.
    /// </summary>
    public float SourcePhraseBonus { get; init; }

    /// <summary>
    /// Content selection (bottom-up attention, Gehrmann et al. 2018): the decoder reads only the this many sentences the
    /// bundle's sentence selector ranks highest, in text order; 0 = the whole text (needs a bundle with a selector).
    /// </summary>
    public int SelectSentences { get; init; }

    /// <summary>
    /// Bottom-up attention (Gehrmann et al. 2018, soft): the copy attention over each source token is weighted by its
    /// sentence's salience from the bundle's sentence selector, σ(score)^CopySalience, and renormalized, so the decoder
    /// copies from the sentences worth summarizing; 0 = off (needs a bundle with a selector).
    /// </summary>
    public float CopySalience { get; init; }
}
