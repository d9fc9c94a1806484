using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>A summary, its tokens, and what each summary token attended to in the source.</summary>
/// <param name="Summary">The summary as natural text.</param>
/// <param name="SourceTokens">The model tokens of the input the decoder saw, with [start, end) character offsets into the input text.</param>
/// <param name="SummaryTokens">The generated tokens with [start, end) offsets into <paramref name="Summary"/>, their copy probability and whether their word appears nowhere in the source.</param>
/// <param name="SourceSentences">The input's sentences ([start, end) offsets into the input) and whether the model read them.</param>
/// <param name="Sentences">The summary's sentences ([start, end) offsets into <paramref name="Summary"/>), each with the source sentences it draws on: their index in <paramref name="SourceSentences"/>, span and share of the copy attention its tokens gave (largest first).</param>
/// <param name="Attention">Attention maps; null when the request asked for attention "none".</param>
/// <param name="Truncated">True when the input had more tokens than the model reads and its tail was ignored.</param>
/// <param name="InputTokenCount">Model tokens in the whole input.</param>
/// <param name="Model">The model that produced it.</param>
/// <param name="Options">The decoding options used, defaults filled in.</param>
/// <param name="Timings">Where the time went.</param>
public sealed record SummarizeResponse(
    string Summary,
    IReadOnlyList<SourceToken> SourceTokens,
    IReadOnlyList<SummaryToken> SummaryTokens,
    IReadOnlyList<SourceSentence> SourceSentences,
    IReadOnlyList<SummarySentence> Sentences,
    AttentionPayload? Attention,
    bool Truncated,
    int InputTokenCount,
    ModelSummary Model,
    DecodingOptions Options,
    ResponseTimings Timings)
{
    /// <summary>Maps an inference result to the wire shape.</summary>
    public static SummarizeResponse From(SummaryResult result, ModelInfo model, double queueMs) => new(
        result.Summary,
        result.SourceTokens,
        result.SummaryTokens,
        result.SourceSentences,
        result.Sentences,
        result.Attention is { } a ? new AttentionPayload("copy", a.Weights, a.Layers) : null,
        result.Truncated,
        result.InputTokenCount,
        new ModelSummary(model.Name, model.BundleVersion, model.Parameters),
        result.Options,
        new ResponseTimings(result.Timings.TokenizeMs, result.Timings.EncodeMs, result.Timings.DecodeMs, result.Timings.TotalMs, queueMs));
}
