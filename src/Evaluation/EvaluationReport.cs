namespace Summarizer.Evaluation;

/// <summary>Corpus-level results of one evaluation run.</summary>
/// <param name="Count">Rows scored.</param>
/// <param name="Model">The summarizer's mean F1 scores.</param>
/// <param name="Lead3">The lead-3 baseline's mean F1 scores on the same rows.</param>
/// <param name="LatencyP50Ms">Median Summarize latency (nearest rank).</param>
/// <param name="LatencyP90Ms">90th percentile latency (nearest rank).</param>
/// <param name="LatencyP99Ms">99th percentile latency (nearest rank).</param>
/// <param name="Flaws">Flaw rates of the summarizer, the references and lead-3; null when the run checks none.</param>
public sealed record EvaluationReport(int Count, RougeAverages Model, RougeAverages Lead3, double LatencyP50Ms, double LatencyP90Ms, double LatencyP99Ms,
    FlawReport? Flaws = null)
{
    /// <summary>The nearest-rank percentile of <paramref name="values"/> (0 for none): the smallest value with at least p% of the values at or below it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside (0, 100].</exception>
    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (percent is <= 0 or > 100 || double.IsNaN(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "The percentile must be in (0, 100].");
        }

        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        int rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
