namespace Summarizer.Evaluation;

/// <summary>The flaws of one row's three summaries, each checked against the row's article.</summary>
/// <param name="Model">The summarizer's summary.</param>
/// <param name="Reference">The reference summary (what the data itself scores).</param>
/// <param name="Lead3">The lead-3 baseline (extractive, so it should invent nothing).</param>
public sealed record PredictionFlaws(SummaryFlaws Model, SummaryFlaws Reference, SummaryFlaws Lead3);
