namespace Summarizer.Evaluation;

/// <summary>Mean F1 over a corpus, scaled by 100 as papers report it.</summary>
/// <param name="Rouge1">Mean ROUGE-1 F1 × 100.</param>
/// <param name="Rouge2">Mean ROUGE-2 F1 × 100.</param>
/// <param name="RougeL">Mean ROUGE-L F1 × 100.</param>
/// <param name="RougeLsum">Mean ROUGE-Lsum F1 × 100.</param>
public sealed record RougeAverages(double Rouge1, double Rouge2, double RougeL, double RougeLsum)
{
    /// <summary>Averages <paramref name="scores"/>; all zero for an empty list.</summary>
    public static RougeAverages Of(IReadOnlyCollection<RougeScores> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            return new RougeAverages(0, 0, 0, 0);
        }

        return new RougeAverages(
            100 * scores.Average(s => s.Rouge1.F1),
            100 * scores.Average(s => s.Rouge2.F1),
            100 * scores.Average(s => s.RougeL.F1),
            100 * scores.Average(s => s.RougeLsum.F1));
    }
}
