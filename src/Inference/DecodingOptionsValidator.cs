namespace Summarizer.Inference;

/// <summary>
/// The one place where <see cref="DecodingOptions"/> ranges are stated and checked (its constants also feed the OpenAPI
/// schema through <see cref="DecodingOverrides"/> and GET /info).
/// The API turns the errors into a 400 naming the field; <see cref="TransformerSummarizer"/> throws on them.
/// </summary>
public static class DecodingOptionsValidator
{
    /// <summary>Largest beam width accepted.</summary>
    public const int MaxBeams = 16;

    /// <summary>Largest length penalty accepted.</summary>
    public const float MaxLengthPenalty = 5f;

    /// <summary>Largest no-repeat n-gram size accepted.</summary>
    public const int MaxNoRepeatNgramSize = 10;

    /// <summary>Largest source-phrase bonus accepted (a log-probability).</summary>
    public const float MaxSourcePhraseBonus = 10f;

    /// <summary>Largest copy-salience exponent accepted.</summary>
    public const float MaxCopySalience = 8f;

    /// <summary>Largest content-word repeat limit accepted.</summary>
    public const int MaxWordRepeats = 100;

    /// <summary>Every problem with <paramref name="options"/> for <paramref name="model"/>; empty when they are valid.</summary>
    public static IReadOnlyList<DecodingOptionError> Validate(DecodingOptions options, ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var errors = Validate(options, model.Config.MaxTargetLength);
        if (options.SelectSentences > 0 && model.Selector is null)
            errors = [.. errors, new(nameof(options.SelectSentences), $"The model '{model.Name}' has no sentence selector: the decoder can only read the whole text (0); got {options.SelectSentences}.")];
        if (options.CopySalience > 0 && model.Selector is null)
            errors = [.. errors, new(nameof(options.CopySalience), $"The model '{model.Name}' has no sentence selector to weight the copy attention by: the copy salience must be 0; got {options.CopySalience}.")];
        return errors;
    }

    /// <summary>Every problem with <paramref name="options"/> for a model of <paramref name="maxTargetLength"/> decoder positions.</summary>
    public static IReadOnlyList<DecodingOptionError> Validate(DecodingOptions options, int maxTargetLength)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<DecodingOptionError>();
        if (options.MaxLength < 1 || options.MaxLength > maxTargetLength)
            errors.Add(new(nameof(options.MaxLength), $"The maximum length must be in 1..{maxTargetLength} (the model's maximum target length); got {options.MaxLength}."));
        if (options.MinLength < 0 || options.MinLength > options.MaxLength)
            errors.Add(new(nameof(options.MinLength), $"The minimum length must be in 0..MaxLength ({options.MaxLength}); got {options.MinLength}."));
        if (options.NumBeams < 1 || options.NumBeams > MaxBeams)
            errors.Add(new(nameof(options.NumBeams), $"The beam size must be in 1..{MaxBeams}; got {options.NumBeams}."));
        if (!(options.LengthPenalty >= 0 && options.LengthPenalty <= MaxLengthPenalty))
            errors.Add(new(nameof(options.LengthPenalty), $"The length penalty must be in 0..{MaxLengthPenalty}; got {options.LengthPenalty}."));
        if (options.NoRepeatNgramSize < 0 || options.NoRepeatNgramSize > MaxNoRepeatNgramSize)
            errors.Add(new(nameof(options.NoRepeatNgramSize), $"The no-repeat n-gram size must be in 0..{MaxNoRepeatNgramSize}; got {options.NoRepeatNgramSize}."));
        if (options.NoRepeatWordNgramSize < 0 || options.NoRepeatWordNgramSize > MaxNoRepeatNgramSize)
            errors.Add(new(nameof(options.NoRepeatWordNgramSize), $"The no-repeat word n-gram size must be in 0..{MaxNoRepeatNgramSize}; got {options.NoRepeatWordNgramSize}."));
        if (options.MaxWordRepeats < 0 || options.MaxWordRepeats > MaxWordRepeats)
            errors.Add(new(nameof(options.MaxWordRepeats), $"The word repeat limit must be in 0..{MaxWordRepeats}; got {options.MaxWordRepeats}."));
        // Piece n-gram bans cannot see where a word or number must go on, so grounding blocks repeats by words instead.
        if (options.Grounded && options.NoRepeatNgramSize > 0)
            errors.Add(new(nameof(options.NoRepeatNgramSize), $"With grounded decoding repeats are blocked by words (NoRepeatWordNgramSize): the no-repeat n-gram size of pieces must be 0, or grounded false; got {options.NoRepeatNgramSize}."));
        if (!(options.SourcePhraseBonus >= 0 && options.SourcePhraseBonus <= MaxSourcePhraseBonus))
            errors.Add(new(nameof(options.SourcePhraseBonus), $"The source phrase bonus must be in 0..{MaxSourcePhraseBonus}; got {options.SourcePhraseBonus}."));
        if (options.SelectSentences < 0 || options.SelectSentences > ExtractiveOptions.MaxSentenceCount)
            errors.Add(new(nameof(options.SelectSentences), $"The number of sentences the decoder reads must be in 0..{ExtractiveOptions.MaxSentenceCount} (0 = the whole text); got {options.SelectSentences}."));
        if (!(options.CopySalience >= 0 && options.CopySalience <= MaxCopySalience))
            errors.Add(new(nameof(options.CopySalience), $"The copy salience must be in 0..{MaxCopySalience} (0 = off); got {options.CopySalience}."));
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public static void ThrowIfInvalid(DecodingOptions options, int maxTargetLength)
    {
        var errors = Validate(options, maxTargetLength);
        if (errors.Count > 0)
            throw new ArgumentOutOfRangeException(nameof(options) + "." + errors[0].Option, errors[0].Message);
    }
}
