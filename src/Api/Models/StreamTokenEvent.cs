namespace Summarizer.Api.Models;

/// <summary>Data of one "token" event of POST /summarize/stream.</summary>
/// <param name="Index">0-based decoding step (with numBeams > 1 a preview: <see cref="Apis.SummarizeApi.StreamingNote"/>).</param>
/// <param name="Id">Vocabulary id.</param>
/// <param name="Text">The model piece (lower-cased; a leading space marks a word start).</param>
/// <param name="CopyProbability">1 − p_gen for this token.</param>
/// <param name="Attention">Copy distribution over the source tokens of the start event (same length).</param>
public sealed record StreamTokenEvent(int Index, int Id, string Text, float CopyProbability, float[] Attention);
