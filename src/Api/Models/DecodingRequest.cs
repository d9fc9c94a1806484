namespace Summarizer.Api.Models;

/// <summary>Decoding options a request may set; every missing one takes the model's default (see GET /info).</summary>
public abstract record DecodingRequest
{
    /// <summary>Most generated tokens, end-of-sequence included. Range 1..the model's max target length.</summary>
    /// <example>60</example>
    public int? MaxLength { get; init; }

    /// <summary>Fewest generated tokens before end-of-sequence is allowed. Range 0..maxLength.</summary>
    /// <example>5</example>
    public int? MinLength { get; init; }

    /// <summary>Beam width; 1 is greedy decoding. Range 1..16.</summary>
    /// <example>4</example>
    public int? NumBeams { get; init; }

    /// <summary>Exponent of beam search's length normalisation score / length^lengthPenalty. Range 0..5.</summary>
    /// <example>1.0</example>
    public float? LengthPenalty { get; init; }

    /// <summary>No n-gram of this size may occur twice in the summary; 0 turns it off. Range 0..10.</summary>
    /// <example>3</example>
    public int? NoRepeatNgramSize { get; init; }

    /// <summary>Beam search stops as soon as numBeams hypotheses are finished (true) or when none can improve (false).</summary>
    /// <example>false</example>
    public bool? EarlyStopping { get; init; }

    /// <summary>How much cross-attention to return: "none", "aggregate" (default; the copy distribution) or "full" (plus every layer and head).</summary>
    /// <example>aggregate</example>
    public string? Attention { get; init; }
}
