namespace Summarizer.Api.Models;

/// <summary>Which model produced a result.</summary>
/// <param name="Name">Bundle name.</param>
/// <param name="Version">Bundle format version.</param>
/// <param name="Parameters">Parameter count.</param>
public sealed record ModelSummary(string Name, int Version, long Parameters);
