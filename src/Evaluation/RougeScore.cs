namespace Summarizer.Evaluation;

/// <summary>Precision, recall and F1 of one ROUGE measure, each in [0, 1].</summary>
/// <param name="Precision">Matched units over the candidate's units.</param>
/// <param name="Recall">Matched units over the reference's units.</param>
/// <param name="F1">Harmonic mean of precision and recall (0 when both are 0).</param>
public readonly record struct RougeScore(double Precision, double Recall, double F1)
{
    /// <summary>A score from matched units and the two totals, with rouge-score's guards against empty inputs.</summary>
    public static RougeScore FromCounts(int matched, int candidateTotal, int referenceTotal)
    {
        double precision = matched / (double)Math.Max(candidateTotal, 1);
        double recall = matched / (double)Math.Max(referenceTotal, 1);
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new RougeScore(precision, recall, f1);
    }
}
