using Summarizer.Inference.Selector;

namespace Summarizer.Inference;

/// <summary>The sentence selector's scores of the read sentences (<see cref="SummaryPipeline.Score"/>).</summary>
/// <param name="Ranges">The read sentences' token ranges, [N] (N ≤ the source's sentences).</param>
/// <param name="Logits">Each range's salience logit, [N].</param>
/// <param name="Attention">The selector's sentence-to-sentence attention, [N, N].</param>
internal sealed record SentenceScores(SentenceTokenRange[] Ranges, float[] Logits, float[] Attention);
