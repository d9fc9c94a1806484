namespace Summarizer.Api.Models;

/// <summary>
/// The options an extractive summary was made with, defaults filled in: a response's "extractive" (in place of the
/// decoding "options", which extractive mode does not use), and GET /info's "extractiveDefaults".
/// </summary>
/// <param name="SentenceCount">The most sentences it could take (1..20).</param>
/// <param name="SentenceOrder">"offset" (in the text's order) or "rank" (best-scored first).</param>
public sealed record ExtractiveSettings(int SentenceCount, string SentenceOrder);
