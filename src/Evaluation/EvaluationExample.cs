namespace Summarizer.Evaluation;

/// <summary>One evaluation row: an article and its reference summary.</summary>
/// <param name="Id">Row id (from the data, or the row number).</param>
/// <param name="Article">The article text given to the summarizer.</param>
/// <param name="Reference">The reference summary, one sentence per line.</param>
public sealed record EvaluationExample(string Id, string Article, string Reference);
