namespace Summarizer.Evaluation;

/// <summary>The share of summaries (percent) with at least one flaw of each kind.</summary>
/// <param name="Count">Summaries counted.</param>
/// <param name="InventedWords">Percent with an invented word.</param>
/// <param name="UnstatedNumbers">Percent with an unstated number.</param>
/// <param name="Stutters">Percent with a stutter.</param>
/// <param name="RepeatedContentWords">Percent with a repeated content word.</param>
public sealed record FlawRates(int Count, double InventedWords, double UnstatedNumbers, double Stutters, double RepeatedContentWords)
{
    /// <summary>The rates of <paramref name="flaws"/>; all zero for none.</summary>
    public static FlawRates Of(IReadOnlyCollection<SummaryFlaws> flaws)
    {
        ArgumentNullException.ThrowIfNull(flaws);
        if (flaws.Count == 0)
        {
            return new FlawRates(0, 0, 0, 0, 0);
        }

        double Percent(Func<SummaryFlaws, bool> has) => 100.0 * flaws.Count(has) / flaws.Count;
        return new FlawRates(flaws.Count, Percent(f => f.HasInventedWords), Percent(f => f.HasUnstatedNumbers),
            Percent(f => f.HasStutters), Percent(f => f.HasRepeatedContentWords));
    }
}
