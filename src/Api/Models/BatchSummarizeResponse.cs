namespace Summarizer.Api.Models;

/// <summary>One result per input text, in input order.</summary>
/// <param name="Results">Each as POST /summarize returns it.</param>
public sealed record BatchSummarizeResponse(IReadOnlyList<SummarizeResponse> Results);
