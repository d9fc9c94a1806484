using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>Data of the "start" event of POST /summarize/stream.</summary>
/// <param name="SourceTokens">The source tokens every token event's attention row refers to.</param>
/// <param name="Truncated">True when the input's tail was not read.</param>
/// <param name="InputTokenCount">Model tokens in the whole input.</param>
/// <param name="Options">The resolved decoding options.</param>
/// <param name="Model">The model generating the summary.</param>
public sealed record StreamStartEvent(
    IReadOnlyList<SourceToken> SourceTokens, bool Truncated, int InputTokenCount, DecodingOptions Options, ModelSummary Model);
