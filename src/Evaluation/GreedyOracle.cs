namespace Summarizer.Evaluation;

/// <summary>
/// The sentence selector's training labels (Nallapati et al. 2017's greedy oracle): sentences are added one at a time,
/// each the one that most raises ROUGE-1 F1 + ROUGE-2 F1 of the chosen sentences (in text order) against the reference,
/// until none raises it or <c>maxSentences</c> are chosen.
/// </summary>
public static class GreedyOracle
{
    /// <summary>The indices of the chosen sentences, in the order they were added.</summary>
    /// <param name="sentences">Each sentence's ROUGE tokens (<see cref="RougeTokenizer.Tokenize"/>), in text order.</param>
    /// <param name="reference">The reference summary's ROUGE tokens.</param>
    /// <param name="maxSentences">Most sentences to choose.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSentences"/> is negative.</exception>
    public static List<int> Select(IReadOnlyList<IReadOnlyList<string>> sentences, IReadOnlyList<string> reference, int maxSentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSentences);
        var chosen = new List<int>();
        double best = 0;
        while (chosen.Count < maxSentences)
        {
            var pick = -1;
            for (var i = 0; i < sentences.Count; i++)
            {
                if (chosen.Contains(i))
                {
                    continue;
                }

                // The candidate summary reads the sentences in text order, as the extractive mode writes them.
                var candidate = chosen.Append(i).Order().SelectMany(j => sentences[j]).ToList();
                var score = RougeScorer.RougeN(candidate, reference, 1).F1 + RougeScorer.RougeN(candidate, reference, 2).F1;
                if (score > best + 1e-9)
                {
                    (best, pick) = (score, i);
                }
            }

            if (pick < 0)
            {
                break;
            }

            chosen.Add(pick);
        }
        return chosen;
    }
}
