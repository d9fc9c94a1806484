using System.Text.Json.Serialization;
using Summarizer.Api.Services;
using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>A summary, its tokens, and what each summary token (abstractive) or sentence (extractive) attended to in the source.</summary>
/// <param name="Summary">The summary as natural text; in extractive mode the taken sentences as written, one space apart.</param>
/// <param name="Mode">How it was made: "abstractive" (the decoder wrote it) or "extractive" (the sentence selector took source sentences).</param>
/// <param name="SourceTokens">The model tokens of the input the model read, with [start, end) character offsets into the input text.</param>
/// <param name="SummaryTokens">The summary's tokens with [start, end) offsets into <paramref name="Summary"/>, their copy probability and whether their word appears nowhere in the source (extractive: the taken sentences' source tokens, copy probability 1).</param>
/// <param name="SourceSentences">The input's sentences ([start, end) offsets into the input) and whether the model read them (false past its window).</param>
/// <param name="Sentences">The summary's sentences ([start, end) offsets into <paramref name="Summary"/>), each with the source sentences it draws on: their index in <paramref name="SourceSentences"/>, span and share of the copy attention its tokens gave (largest first). An extractive sentence has one source, itself, with share 1.</param>
/// <param name="Extracted">Extractive mode only (absent otherwise): the source sentences taken, in the summary's order — index in <paramref name="SourceSentences"/>, [start, end) in the input, the selector's score (0..1) and rank (1 = best-scored).</param>
/// <param name="Attention">Token attention maps; null when the request asked for attention "none", and in extractive mode (see <paramref name="SentenceAttention"/>).</param>
/// <param name="SentenceAttention">Extractive mode only, unless attention is "none" (absent otherwise): one row per summary sentence over every source sentence.</param>
/// <param name="Truncated">True when the input had more tokens than the model reads and its tail was ignored.</param>
/// <param name="InputTokenCount">Model tokens in the whole input.</param>
/// <param name="Model">The model that produced it.</param>
/// <param name="Options">Abstractive mode: the decoding options used, defaults filled in; absent in extractive mode, which does not decode.</param>
/// <param name="Extractive">Extractive mode only (absent otherwise): the extractive options used, defaults filled in.</param>
/// <param name="Timings">Where the time went (extractive: decodeMs is the selector's time).</param>
public sealed record SummarizeResponse(
    string Summary,
    string Mode,
    IReadOnlyList<SourceToken> SourceTokens,
    IReadOnlyList<SummaryToken> SummaryTokens,
    IReadOnlyList<SourceSentence> SourceSentences,
    IReadOnlyList<SummarySentence> Sentences,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ExtractedSentence>? Extracted,
    AttentionPayload? Attention,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SentenceAttentionPayload? SentenceAttention,
    bool Truncated,
    int InputTokenCount,
    ModelSummary Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DecodingOptions? Options,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExtractiveSettings? Extractive,
    ResponseTimings Timings)
{
    /// <summary>Maps an inference result of <paramref name="request"/> to the wire shape.</summary>
    public static SummarizeResponse From(SummaryResult result, PreparedRequest request, double queueMs)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);
        var model = request.Summarizer.Model;
        var extractive = request.Extractive;
        return new(
            result.Summary,
            WireNames.Of(result.Mode),
            result.SourceTokens,
            result.SummaryTokens,
            result.SourceSentences,
            result.Sentences,
            result.Extracted,
            result.Attention is { } a ? new AttentionPayload("copy", a.Weights, a.Layers) : null,
            result.SentenceAttention is { } s && request.Attention != AttentionDetail.None ? new SentenceAttentionPayload("selector", s) : null,
            result.Truncated,
            result.InputTokenCount,
            new ModelSummary(model.Name, model.BundleVersion, model.Parameters),
            extractive is null ? result.Options : null,
            extractive is null ? null : SummaryModeResolver.Describe(extractive),
            new ResponseTimings(result.Timings.TokenizeMs, result.Timings.EncodeMs, result.Timings.DecodeMs, result.Timings.TotalMs, queueMs));
    }
}
