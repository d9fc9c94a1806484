using System.Text.Json.Serialization;
using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>Data of the "start" event of POST /summarize/stream.</summary>
/// <param name="SourceTokens">The source tokens every token event's attention row refers to.</param>
/// <param name="Truncated">True when the input's tail was not read.</param>
/// <param name="InputTokenCount">Model tokens in the whole input.</param>
/// <param name="Mode">"abstractive" (token events follow) or "extractive" (sentence events follow).</param>
/// <param name="Options">Abstractive mode: the resolved decoding options; absent in extractive mode.</param>
/// <param name="Extractive">Extractive mode only (absent otherwise): the resolved extractive options.</param>
/// <param name="Model">The model generating the summary.</param>
public sealed record StreamStartEvent(
    IReadOnlyList<SourceToken> SourceTokens,
    bool Truncated,
    int InputTokenCount,
    string Mode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DecodingOptions? Options,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExtractiveSettings? Extractive,
    ModelSummary Model);
