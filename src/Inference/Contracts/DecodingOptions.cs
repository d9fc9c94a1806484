namespace Summarizer.Inference;

/// <summary>
/// Generation settings, named as in Hugging Face <c>generate</c> and CTranslate2. Every field is resolved:
/// a request's missing options are filled from the model's defaults (<see cref="ModelInfo.Defaults"/>) before decoding.
/// </summary>
public sealed record DecodingOptions
{
    /// <summary>Most generated tokens, end-of-sequence included. At most the model's max target length.</summary>
    public int MaxLength { get; init; } = 100;

    /// <summary>Fewest generated tokens before end-of-sequence is allowed (at most MaxLength).</summary>
    public int MinLength { get; init; }

    /// <summary>Beam width; 1 is greedy decoding (at most <see cref="DecodingOptionsValidator.MaxBeams"/>).</summary>
    public int NumBeams { get; init; } = 4;

    /// <summary>Exponent of the length normalisation score / length^LengthPenalty (at most <see cref="DecodingOptionsValidator.MaxLengthPenalty"/>).</summary>
    public float LengthPenalty { get; init; } = 1.0f;

    /// <summary>No n-gram of this size may occur twice in the output; 0 turns it off (at most <see cref="DecodingOptionsValidator.MaxNoRepeatNgramSize"/>).</summary>
    public int NoRepeatNgramSize { get; init; }

    /// <summary>Beam search stops as soon as NumBeams hypotheses are finished (true) or when none can improve (false).</summary>
    public bool EarlyStopping { get; init; }
}
