namespace Summarizer.Evaluation;

/// <summary>Corpus-level flaw rates of the summarizer, the references and lead-3 on the same rows.</summary>
/// <param name="Model">The summarizer's rates.</param>
/// <param name="Reference">The references' rates.</param>
/// <param name="Lead3">Lead-3's rates.</param>
public sealed record FlawReport(FlawRates Model, FlawRates Reference, FlawRates Lead3)
{
    /// <summary>The rates of every row's three summaries.</summary>
    public static FlawReport Of(IReadOnlyCollection<PredictionFlaws> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new FlawReport(
            FlawRates.Of(rows.Select(r => r.Model).ToList()),
            FlawRates.Of(rows.Select(r => r.Reference).ToList()),
            FlawRates.Of(rows.Select(r => r.Lead3).ToList()));
    }
}
