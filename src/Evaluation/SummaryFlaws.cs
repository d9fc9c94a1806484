namespace Summarizer.Evaluation;

/// <summary>What <see cref="FlawChecker"/> found in one summary: each list holds the offending items, distinct, in order of first appearance.</summary>
/// <param name="InventedWords">Words in neither the source nor the English list, not even by Porter stem.</param>
/// <param name="UnstatedNumbers">Numbers the source does not state.</param>
/// <param name="Stutters">Words written twice in a row.</param>
/// <param name="RepeatedContentWords">Non-stopwords written 3 or more times.</param>
public sealed record SummaryFlaws(
    IReadOnlyList<string> InventedWords,
    IReadOnlyList<string> UnstatedNumbers,
    IReadOnlyList<string> Stutters,
    IReadOnlyList<string> RepeatedContentWords)
{
    /// <summary>The summary has at least one invented word.</summary>
    public bool HasInventedWords => InventedWords.Count > 0;

    /// <summary>The summary has at least one unstated number.</summary>
    public bool HasUnstatedNumbers => UnstatedNumbers.Count > 0;

    /// <summary>The summary has at least one stutter.</summary>
    public bool HasStutters => Stutters.Count > 0;

    /// <summary>The summary has at least one repeated content word.</summary>
    public bool HasRepeatedContentWords => RepeatedContentWords.Count > 0;
}
