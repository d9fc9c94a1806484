using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>A request that passed every check: the ready summarizer, resolved options and attention detail.</summary>
/// <param name="Summarizer">The loaded model.</param>
/// <param name="Options">Resolved decoding options (the model's defaults, unused, in extractive mode).</param>
/// <param name="Attention">How much attention to return.</param>
/// <param name="Extractive">The extractive options; null for the abstractive mode.</param>
public sealed record PreparedRequest(ISummarizer Summarizer, DecodingOptions Options, AttentionDetail Attention, ExtractiveOptions? Extractive = null)
{
    /// <summary>How the summary is made.</summary>
    public SummaryMode Mode => Extractive is null ? SummaryMode.Abstractive : SummaryMode.Extractive;

    /// <summary>
    /// Summarizes a tokenized text in the request's mode: the decoder (<paramref name="onToken"/> per generated token) or
    /// the sentence selector.
    /// </summary>
    public SummaryResult Run(SourceTokenization source, Action<StreamedToken>? onToken, CancellationToken cancellationToken) =>
        Extractive is { } extractive
            ? Summarizer.Extract(source, extractive, cancellationToken)
            : Summarizer.Summarize(source, Options, Attention, onToken, cancellationToken);

    /// <summary>Tokenizes <paramref name="text"/> and summarizes it in the request's mode.</summary>
    /// <exception cref="UnsummarizableTextException">The text has no words the model can read.</exception>
    public SummaryResult Run(string text, CancellationToken cancellationToken) =>
        Run(Summarizer.TokenizeSource(text), null, cancellationToken);
}
