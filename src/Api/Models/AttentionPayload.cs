using System.Text.Json.Serialization;

namespace Summarizer.Api.Models;

/// <summary>Cross-attention of the returned summary.</summary>
/// <param name="Kind">Always "copy": the copy distribution (last decoder layer's cross-attention averaged over heads).</param>
/// <param name="Weights">Shape [summaryTokens][sourceTokens]; each row sums to 1.</param>
/// <param name="Layers">Only for attention "full": shape [layer][head][summaryTokens][sourceTokens].</param>
public sealed record AttentionPayload(
    string Kind,
    float[][] Weights,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[][][][]? Layers);
