using System.Text;
using Summarizer.Inference.Selector;

namespace Summarizer.Inference;

/// <summary>
/// The extractive mode: encoder → sentence selector → the best sentences as written, each its own source. Thread-safe.
/// </summary>
internal sealed class ExtractiveSummarizer
{
    private readonly SummaryPipeline _pipeline;

    public ExtractiveSummarizer(SummaryPipeline pipeline) => _pipeline = pipeline;

    /// <summary>See <see cref="ISummarizer.Extract"/>.</summary>
    public SummaryResult Extract(SourceTokenization source, ExtractiveOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        _pipeline.ThrowIfForeign(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SentenceCount, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SentenceCount, ExtractiveOptions.MaxSentenceCount, nameof(options));
        cancellationToken.ThrowIfCancellationRequested();

        var encoded = _pipeline.Encode(source, cancellationToken);
        var input = source.Normalized.Original;
        var sourceIds = encoded.Ids;
        var sourceSentences = encoded.Sentences;
        var (ranges, logits, attention) = _pipeline.Score(encoded, "it has no extractive mode");
        var picked = ExtractiveSelection.Select(logits, sourceIds, ranges, options.SentenceCount);
        var order = options.Order == SentenceOrder.Rank ? picked : picked.Order().ToArray();

        // The summary is the taken sentences as written, one space apart; its tokens are theirs, re-spanned into it.
        var summary = new StringBuilder();
        var extracted = new ExtractedSentence[order.Length];
        var sentences = new SummarySentence[order.Length];
        var tokens = new List<SummaryToken>();
        var sentenceAttention = new float[order.Length][];
        for (var k = 0; k < order.Length; k++)
        {
            var r = ranges[order[k]];
            var (start, end, _) = sourceSentences[r.Sentence];
            if (k > 0)
                summary.Append(' ');
            var at = summary.Length;
            summary.Append(input, start, end - start);
            extracted[k] = new ExtractedSentence(r.Sentence, start, end, 1f / (1f + MathF.Exp(-logits[order[k]])), Array.IndexOf(picked, order[k]) + 1);
            sentences[k] = new SummarySentence(at, summary.Length, [new SentenceSource(r.Sentence, start, end, 1f)]);
            for (var t = r.TokenStart; t < r.TokenEnd; t++)
            {
                var token = source.Tokens[t];
                tokens.Add(new SummaryToken(sourceIds[t], token.Text, token.Start - start + at, token.End - start + at, 1f, false));
            }
            var row = new float[sourceSentences.Length];
            for (var j = 0; j < ranges.Length; j++)
                row[ranges[j].Sentence] = attention[order[k] * ranges.Length + j];
            sentenceAttention[k] = row;
        }
        var total = encoded.Total;
        var selectMs = total.Elapsed.TotalMilliseconds - encoded.EncodeMs;
        return new SummaryResult
        {
            Summary = summary.ToString(),
            SourceTokens = source.Tokens,
            SummaryTokens = tokens,
            SourceSentences = sourceSentences,
            Sentences = sentences,
            Mode = SummaryMode.Extractive,
            Extracted = extracted,
            SentenceAttention = sentenceAttention,
            Attention = null,
            Truncated = source.Truncated,
            InputTokenCount = source.InputTokenCount,
            Options = _pipeline.Model.Defaults,
            Timings = new SummaryTimings(source.TokenizeMs, encoded.EncodeMs, selectMs, source.TokenizeMs + total.Elapsed.TotalMilliseconds),
        };
    }
}
