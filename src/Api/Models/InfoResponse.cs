using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>GET /info: the model card, default options, option ranges and the service's limits.</summary>
/// <param name="Model">The loaded model's card (architecture, parameter count, sentence selector, training and metrics sections).</param>
/// <param name="Defaults">The decoding options a request gets when it sets none (abstractive mode).</param>
/// <param name="OptionRanges">Allowed range and default of every numeric option, by JSON name (sentenceCount only when the model has an extractive mode).</param>
/// <param name="AttentionValues">Accepted values of "attention".</param>
/// <param name="Modes">The values of "mode" this model serves: "abstractive", and "extractive" when it has a sentence selector.</param>
/// <param name="ExtractiveDefaults">The extractive options a request gets when it sets none; null when the model has no extractive mode.</param>
/// <param name="SentenceOrderValues">Accepted values of "sentenceOrder" (extractive mode).</param>
/// <param name="Limits">Configured limits.</param>
/// <param name="Streaming">How POST /summarize/stream treats beam search and the extractive mode.</param>
public sealed record InfoResponse(
    ModelInfo Model,
    DecodingOptions Defaults,
    IReadOnlyDictionary<string, OptionRange> OptionRanges,
    IReadOnlyList<string> AttentionValues,
    IReadOnlyList<string> Modes,
    ExtractiveSettings? ExtractiveDefaults,
    IReadOnlyList<string> SentenceOrderValues,
    ServiceLimits Limits,
    string Streaming);
