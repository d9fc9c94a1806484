using System.Text.Json.Serialization;
using Summarizer.Inference;

namespace Summarizer.Api.Models;

/// <summary>Data of one "sentence" event of POST /summarize/stream in extractive mode: one sentence of the summary.</summary>
/// <param name="Index">0-based position of the sentence in the summary (the done event's sentences[index] and extracted[index]).</param>
/// <param name="Text">The sentence as written in the input.</param>
/// <param name="Start">Offset of its first character in the summary.</param>
/// <param name="End">Offset one past its last character in the summary.</param>
/// <param name="Extracted">The source sentence taken: index in sourceSentences, [start, end) in the input, score (0..1) and rank (1 = best-scored).</param>
/// <param name="Attention">Its sentence attention row, one weight per source sentence; absent for attention "none".</param>
public sealed record StreamSentenceEvent(
    int Index,
    string Text,
    int Start,
    int End,
    ExtractedSentence Extracted,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Attention);
