namespace Summarizer.Inference;

/// <summary>Text in, summary and attention maps out. Implementations are safe to call from many threads at once.</summary>
public interface ISummarizer
{
    /// <summary>The loaded model's card, limits and default decoding options.</summary>
    ModelInfo Model { get; }

    /// <summary>
    /// Normalizes and tokenizes <paramref name="text"/> without running the model — so a stream can announce the source
    /// tokens before the first summary token, then summarize the same tokenization.
    /// </summary>
    /// <exception cref="UnsummarizableTextException">The text is empty or has no words the model can read.</exception>
    SourceTokenization TokenizeSource(string text);

    /// <summary>
    /// Summarizes a tokenized text. Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <param name="source">From <see cref="TokenizeSource"/> of this summarizer.</param>
    /// <param name="options">Resolved decoding options (see <see cref="DecodingOptions"/>).</param>
    /// <param name="attention">How much attention to return.</param>
    /// <param name="onToken">Called once per token of the greedy path or of the current best beam, as it is generated.</param>
    /// <param name="cancellationToken">Stops generation promptly.</param>
    SummaryResult Summarize(SourceTokenization source, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// An extractive summary: the sentence selector scores the sentences the model read and the best are taken as written,
    /// each pointing at itself as its source.
    /// </summary>
    /// <param name="source">From <see cref="TokenizeSource"/> of this summarizer.</param>
    /// <param name="options">How many sentences, in which order.</param>
    /// <param name="cancellationToken">Stops before the selector runs when it fires.</param>
    /// <exception cref="NotSupportedException">The model has no sentence selector (<see cref="ModelInfo.Selector"/> is null).</exception>
    SummaryResult Extract(SourceTokenization source, ExtractiveOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"The model '{Model.Name}' has no sentence selector, so it has no extractive mode.");

    /// <summary>
    /// Summarizes <paramref name="text"/>: <see cref="TokenizeSource"/> then
    /// <see cref="Summarize(SourceTokenization, DecodingOptions, AttentionDetail, Action{StreamedToken}?, CancellationToken)"/>.
    /// </summary>
    /// <param name="text">Ordinary prose in any casing; it is normalized to the model's form internally.</param>
    /// <param name="options">Resolved decoding options (see <see cref="DecodingOptions"/>).</param>
    /// <param name="attention">How much attention to return.</param>
    /// <param name="onToken">Called once per token of the greedy path or of the current best beam, as it is generated.</param>
    /// <param name="cancellationToken">Stops generation promptly.</param>
    /// <exception cref="UnsummarizableTextException">The text is empty or has no words the model can read.</exception>
    SummaryResult Summarize(string text, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
        Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default) =>
        Summarize(TokenizeSource(text), options, attention, onToken, cancellationToken);
}
