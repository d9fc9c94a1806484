using System.ComponentModel.DataAnnotations;
using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>
/// What a summarize request may set besides its text: the mode, the decoding options (<see cref="DecodingOverrides"/>;
/// every missing one takes the model's default, see GET /info) or the extractive options, and how much attention to return.
/// </summary>
public abstract record DecodingRequest : DecodingOverrides
{
    /// <summary>
    /// How much attention to return: "none", "aggregate" (default; the copy distribution) or "full" (plus every layer and
    /// head). In extractive mode "aggregate" and "full" both return the sentence-level map (sentenceAttention).
    /// </summary>
    /// <example>aggregate</example>
    public string? Attention { get; init; }

    /// <summary>
    /// How the summary is made (case-insensitive): "abstractive" (default) — the decoder writes it and the decoding options
    /// apply; "extractive" — the model's sentence selector takes the text's best sentences as written (only with a model
    /// that has a selector: GET /info modes), and no decoding option may be given with it.
    /// </summary>
    /// <example>abstractive</example>
    public string? Mode { get; init; }

    /// <summary>
    /// Extractive mode only: the most sentences to take (default: the model's, GET /info extractiveDefaults). Fewer come
    /// back when the text has fewer, or when a sentence would repeat three tokens in a row of one already taken.
    /// </summary>
    /// <example>3</example>
    [Range(1, ExtractiveOptions.MaxSentenceCount)]
    public int? SentenceCount { get; init; }

    /// <summary>
    /// Extractive mode only, case-insensitive: "offset" (default; in the text's order, as Azure AI Language's extractive
    /// summarization returns them) or "rank" (best-scored first).
    /// </summary>
    /// <example>offset</example>
    public string? SentenceOrder { get; init; }
}
