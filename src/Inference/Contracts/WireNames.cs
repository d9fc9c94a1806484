namespace Summarizer.Inference;

/// <summary>The names the API, the Eval CLI's report and its metrics JSON give the modes and sentence orders: one spelling.</summary>
public static class WireNames
{
    /// <summary>"abstractive" or "extractive".</summary>
    public static string Of(SummaryMode mode) => mode == SummaryMode.Extractive ? "extractive" : "abstractive";

    /// <summary>"offset" or "rank".</summary>
    public static string Of(SentenceOrder order) => order == SentenceOrder.Rank ? "rank" : "offset";
}
