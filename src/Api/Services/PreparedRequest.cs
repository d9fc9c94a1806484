using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>A request that passed every check: the ready summarizer, resolved options and attention detail.</summary>
/// <param name="Summarizer">The loaded model.</param>
/// <param name="Options">Resolved decoding options.</param>
/// <param name="Attention">How much attention to return.</param>
public sealed record PreparedRequest(ISummarizer Summarizer, DecodingOptions Options, AttentionDetail Attention);
