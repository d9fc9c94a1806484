using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>Decoding options a request may set (<see cref="DecodingOverrides"/>; every missing one takes the model's default, see GET /info) and how much attention to return.</summary>
public abstract record DecodingRequest : DecodingOverrides
{
    /// <summary>How much cross-attention to return: "none", "aggregate" (default; the copy distribution) or "full" (plus every layer and head).</summary>
    /// <example>aggregate</example>
    public string? Attention { get; init; }
}
