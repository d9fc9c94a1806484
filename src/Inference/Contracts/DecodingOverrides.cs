namespace Summarizer.Inference;

/// <summary>
/// Decoding options as a caller states them — an HTTP request's JSON fields, the eval command line — each null taking
/// the model's default. <see cref="Resolve"/> is the one merge, so every entry point decodes with the same settings for
/// the same input; <see cref="DecodingOptionsValidator"/> then checks the ranges (its rules also give the OpenAPI
/// schema's and GET /info's).
/// </summary>
public record DecodingOverrides
{
    /// <summary>Most generated tokens, end-of-sequence included (at most the model's max target length; see GET /info).</summary>
    /// <example>60</example>
    public int? MaxLength { get; init; }

    /// <summary>Fewest generated tokens before end-of-sequence is allowed (at most maxLength).</summary>
    /// <example>5</example>
    public int? MinLength { get; init; }

    /// <summary>Beam width; 1 is greedy decoding.</summary>
    /// <example>4</example>
    public int? NumBeams { get; init; }

    /// <summary>Exponent of beam search's length normalisation score / length^lengthPenalty.</summary>
    /// <example>1.0</example>
    public float? LengthPenalty { get; init; }

    /// <summary>No n-gram of this size may occur twice in the summary; 0 turns it off.</summary>
    /// <example>3</example>
    public int? NoRepeatNgramSize { get; init; }

    /// <summary>Beam search stops as soon as numBeams hypotheses are finished (true) or when none can improve (false).</summary>
    /// <example>false</example>
    public bool? EarlyStopping { get; init; }

    /// <summary>
    /// Grounded decoding: every word is one of the source's or an English word of the vocabulary, every number one the
    /// source states, no word twice in a row (the repeat limits below apply only with it). false gives the model's raw search.
    /// </summary>
    /// <example>true</example>
    public bool? Grounded { get; init; }

    /// <summary>With grounded decoding: no n-gram of this many words may occur twice in the summary; 0 turns it off.</summary>
    /// <example>3</example>
    public int? NoRepeatWordNgramSize { get; init; }

    /// <summary>With grounded decoding: most times one content word (not a stopword) may be written; 0 = no limit.</summary>
    /// <example>2</example>
    public int? MaxWordRepeats { get; init; }

    /// <summary>
    /// With grounded decoding: added to the log-probability of each piece that follows the previous piece somewhere in the
    /// source, so whole source phrases are preferred to words stitched together; 0 turns it off.
    /// </summary>
    /// <example>3</example>
    public float? SourcePhraseBonus { get; init; }

    /// <summary>
    /// Content selection: the decoder reads only this many sentences, those the model's sentence selector ranks highest
    /// (in text order); 0 = the whole text. Needs a model with a selector (GET /info).
    /// </summary>
    /// <example>3</example>
    public int? SelectSentences { get; init; }

    /// <summary>
    /// Bottom-up attention: the copy attention over each source sentence is weighted by the model's sentence selector's
    /// salience of it, raised to this power; 0 = off. Needs a model with a selector (GET /info).
    /// </summary>
    /// <example>1.0</example>
    public float? CopySalience { get; init; }

    /// <summary>
    /// These overrides over <paramref name="model"/>'s defaults (the bundle's, already valid). A missing minLength takes
    /// the default capped at the resolved maxLength; a missing noRepeatNgramSize is 0 when grounding is asked for and the
    /// bundle's default is not grounded; the result is not yet range-checked.
    /// </summary>
    public DecodingOptions Resolve(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var d = model.Defaults;
        var maxLength = MaxLength ?? d.MaxLength;
        return new DecodingOptions
        {
            MaxLength = maxLength,
            // A request's shorter maxLength would make the default minLength invalid: the default gives way to it.
            MinLength = MinLength ?? Math.Clamp(d.MinLength, 0, Math.Max(maxLength, 0)),
            NumBeams = NumBeams ?? d.NumBeams,
            LengthPenalty = LengthPenalty ?? d.LengthPenalty,
            // Grounding blocks repeats by words: a bundle's piece n-gram default does not come with it.
            NoRepeatNgramSize = NoRepeatNgramSize ?? (Grounded == true && !d.Grounded ? 0 : d.NoRepeatNgramSize),
            EarlyStopping = EarlyStopping ?? d.EarlyStopping,
            Grounded = Grounded ?? d.Grounded,
            NoRepeatWordNgramSize = NoRepeatWordNgramSize ?? d.NoRepeatWordNgramSize,
            MaxWordRepeats = MaxWordRepeats ?? d.MaxWordRepeats,
            SourcePhraseBonus = SourcePhraseBonus ?? d.SourcePhraseBonus,
            SelectSentences = SelectSentences ?? d.SelectSentences,
            CopySalience = CopySalience ?? d.CopySalience,
        };
    }
}
