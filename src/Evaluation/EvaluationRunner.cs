using System.Diagnostics;

using Summarizer.Inference;

namespace Summarizer.Evaluation;

/// <summary>
/// Summarizes each row through <see cref="ISummarizer.Summarize(string, DecodingOptions, AttentionDetail, Action{StreamedToken}?, CancellationToken)"/> (the service's own path), scores the summary and the
/// lead-3 baseline against the reference, and aggregates mean F1 and latency percentiles; with a <see cref="FlawChecker"/>,
/// also the flaw rates of the summaries, the references and lead-3, each against its article.
/// </summary>
/// <param name="summarizer">The summarizer under test.</param>
/// <param name="options">Resolved decoding options for every row.</param>
/// <param name="flawChecker">Checks every row's summaries for flaws; null checks none.</param>
public sealed class EvaluationRunner(ISummarizer summarizer, DecodingOptions options, FlawChecker? flawChecker = null)
{
    private readonly ISummarizer _summarizer = summarizer ?? throw new ArgumentNullException(nameof(summarizer));
    private readonly DecodingOptions _options = options ?? throw new ArgumentNullException(nameof(options));

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
            flawChecker is null ? null : FlawReport.Of(flaws));
    }

    /// <summary>Summarizes and scores one row.</summary>
    public EvaluationPrediction Evaluate(EvaluationExample example, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(example);
        long started = Stopwatch.GetTimestamp();
        var result = _summarizer.Summarize(example.Article, _options, AttentionDetail.None, null, cancellationToken);
        double latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        string summaryLines = string.Join('\n', SentenceSplitter.SplitNatural(result.Summary));
        string lead3 = Lead3.Select(example.Article);
        var flaws = flawChecker is null
            ? null
            : new PredictionFlaws(
                flawChecker.Check(result.Summary, example.Article),
                flawChecker.Check(example.Reference, example.Article),
                flawChecker.Check(lead3, example.Article));
        return new EvaluationPrediction(example, result.Summary, latencyMs,
            RougeScorer.Score(summaryLines, example.Reference),
            RougeScorer.Score(lead3, example.Reference),
            flaws);
    }
}
