using System.Diagnostics;

using Summarizer.Inference;

namespace Summarizer.Evaluation;

/// <summary>
/// Summarizes each row the service's way — abstractive: <see cref="ISummarizer.Summarize(string, DecodingOptions, AttentionDetail, Action{StreamedToken}?, CancellationToken)"/>;
/// extractive: <see cref="ISummarizer.TokenizeSource"/> then <see cref="ISummarizer.Extract"/> — scores the summary and the
/// lead-3 baseline against the reference, and aggregates mean F1 and latency percentiles (the same calls timed in both
/// modes: tokenizing included); with a <see cref="FlawChecker"/>, also the flaw rates of the summaries, the references and
/// lead-3, each against its article.
/// </summary>
public sealed class EvaluationRunner
{
    private readonly ISummarizer _summarizer;
    private readonly DecodingOptions? _options;
    private readonly ExtractiveOptions? _extractive;
    private readonly FlawChecker? _flawChecker;

    /// <summary>An abstractive run: the decoder writes every summary.</summary>
    /// <param name="summarizer">The summarizer under test.</param>
    /// <param name="options">Resolved decoding options for every row.</param>
    /// <param name="flawChecker">Checks every row's summaries for flaws; null checks none.</param>
    public EvaluationRunner(ISummarizer summarizer, DecodingOptions options, FlawChecker? flawChecker = null)
    {
        _summarizer = summarizer ?? throw new ArgumentNullException(nameof(summarizer));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _flawChecker = flawChecker;
    }

    /// <summary>An extractive run: the sentence selector takes every summary's sentences from its article.</summary>
    /// <param name="summarizer">The summarizer under test (its bundle needs a sentence selector).</param>
    /// <param name="extractive">Sentence count and order for every row.</param>
    /// <param name="flawChecker">Checks every row's summaries for flaws; null checks none.</param>
    public EvaluationRunner(ISummarizer summarizer, ExtractiveOptions extractive, FlawChecker? flawChecker = null)
    {
        _summarizer = summarizer ?? throw new ArgumentNullException(nameof(summarizer));
        _extractive = extractive ?? throw new ArgumentNullException(nameof(extractive));
        _flawChecker = flawChecker;
    }

    /// <summary>How this run makes its summaries.</summary>
    public SummaryMode Mode => _extractive is null ? SummaryMode.Abstractive : SummaryMode.Extractive;

    /// <summary>Runs every row in order.</summary>
    /// <param name="examples">The rows.</param>
    /// <param name="onPrediction">Called after each row (progress, writing predictions).</param>
    /// <param name="cancellationToken">Stops between rows and inside generation.</param>
    public EvaluationReport Run(IEnumerable<EvaluationExample> examples, Action<EvaluationPrediction>? onPrediction = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var modelScores = new List<RougeScores>();
        var leadScores = new List<RougeScores>();
        var latencies = new List<double>();
        var flaws = new List<PredictionFlaws>();
        foreach (var example in examples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prediction = Evaluate(example, cancellationToken);
            modelScores.Add(prediction.Scores);
            leadScores.Add(prediction.Lead3Scores);
            latencies.Add(prediction.LatencyMs);
            if (prediction.Flaws is not null)
            {
                flaws.Add(prediction.Flaws);
            }

            onPrediction?.Invoke(prediction);
        }

        return new EvaluationReport(modelScores.Count, RougeAverages.Of(modelScores), RougeAverages.Of(leadScores),
            EvaluationReport.Percentile(latencies, 50), EvaluationReport.Percentile(latencies, 90), EvaluationReport.Percentile(latencies, 99),
            _flawChecker is null ? null : FlawReport.Of(flaws));
    }

    /// <summary>Summarizes and scores one row.</summary>
    public EvaluationPrediction Evaluate(EvaluationExample example, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        long started = Stopwatch.GetTimestamp();
        var result = _extractive is null
            ? _summarizer.Summarize(example.Article, _options!, AttentionDetail.None, null, cancellationToken)
            : _summarizer.Extract(_summarizer.TokenizeSource(example.Article), _extractive, cancellationToken);
        double latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        string summaryLines = string.Join('\n', SentenceSplitter.SplitNatural(result.Summary));
        string lead3 = Lead3.Select(example.Article);
        var flaws = _flawChecker is null
            ? null
            : new PredictionFlaws(
                _flawChecker.Check(result.Summary, example.Article),
                _flawChecker.Check(example.Reference, example.Article),
                _flawChecker.Check(lead3, example.Article));
        return new EvaluationPrediction(example, result.Summary, latencyMs,
            RougeScorer.Score(summaryLines, example.Reference),
            RougeScorer.Score(lead3, example.Reference),
            flaws)
        {
            Extracted = result.Extracted,
        };
    }
}
