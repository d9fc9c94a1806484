using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>GET /info: the model card, default options, option ranges and the service's limits.</summary>
/// <param name="Model">The loaded model's card (architecture, parameter count, training and metrics sections).</param>
/// <param name="Defaults">The options a request gets when it sets none.</param>
/// <param name="OptionRanges">Allowed range and default of every numeric option, by JSON name.</param>
/// <param name="AttentionValues">Accepted values of "attention".</param>
/// <param name="Limits">Configured limits.</param>
/// <param name="Streaming">How POST /summarize/stream treats beam search.</param>
public sealed record InfoResponse(
    ModelInfo Model,
    DecodingOptions Defaults,
    IReadOnlyDictionary<string, OptionRange> OptionRanges,
    IReadOnlyList<string> AttentionValues,
    ServiceLimits Limits,
    string Streaming);
