using Summarizer.Inference;

namespace Summarizer.Evaluation;

/// <summary>The summarizer's output for one row, with its scores.</summary>
/// <param name="Example">The row.</param>
/// <param name="Summary">The summary the summarizer returned.</param>
/// <param name="LatencyMs">Wall-clock milliseconds of the Summarize call (extractive: TokenizeSource and Extract).</param>
/// <param name="Scores">The summary against the reference (its sentences split for Lsum).</param>
/// <param name="Lead3Scores">The lead-3 baseline of the same article against the reference.</param>
/// <param name="Flaws">The flaws of the summary, the reference and lead-3; null when the run checks none.</param>
public sealed record EvaluationPrediction(EvaluationExample Example, string Summary, double LatencyMs, RougeScores Scores, RougeScores Lead3Scores,
    PredictionFlaws? Flaws = null)
{
    /// <summary>Extractive mode: the article's sentences taken, in the summary's order (spans into the article); null in abstractive mode.</summary>
    public IReadOnlyList<ExtractedSentence>? Extracted { get; init; }
}
