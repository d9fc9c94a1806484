namespace Summarizer.Inference;

/// <summary>Text in, summary and attention maps out. Implementations are safe to call from many threads at once.</summary>
public interface ISummarizer
{
    /// <summary>The loaded model's card, limits and default decoding options.</summary>
    ModelInfo Model { get; }

    /// <summary>
    /// Normalizes and tokenizes <paramref name="text"/> as <see cref="Summarize"/> does, without running the model —
    /// so a stream can announce the source tokens before the first summary token. Throws <see cref="ArgumentException"/> for empty text.
    /// </summary>
    SourceTokenization TokenizeSource(string text);

    /// <summary>
    /// Summarizes <paramref name="text"/>. Throws <see cref="ArgumentException"/> for empty text,
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="text">Ordinary prose in any casing; it is normalized to the model's form internally.</param>
    /// <param name="options">Resolved decoding options (see <see cref="DecodingOptions"/>).</param>
    /// <param name="attention">How much attention to return.</param>
    /// <param name="onToken">Called once per token of the greedy path or of the current best beam, as it is generated.</param>
    /// <param name="cancellationToken">Stops generation promptly.</param>
    SummaryResult Summarize(string text, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default);
}
