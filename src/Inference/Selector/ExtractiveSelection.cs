namespace Summarizer.Inference.Selector;

/// <summary>Which scored sentences an extractive summary takes (training/selector.py's <c>select</c>, the same rule).</summary>
public static class ExtractiveSelection
{
    /// <summary>
    /// The <paramref name="count"/> best-scored sentences, skipping one that repeats a trigram of the model tokens already
    /// chosen (BERTSum's trigram blocking), by rank; ties go to the earlier sentence. Fewer when blocking leaves fewer.
    /// </summary>
    /// <param name="scores">[N] sentence scores.</param>
    /// <param name="sourceIds">The window's token ids.</param>
    /// <param name="sentences">[N] each sentence's tokens in <paramref name="sourceIds"/>.</param>
    /// <param name="count">Most sentences to take.</param>
    /// <returns>Indexes into <paramref name="sentences"/>, best first.</returns>
    public static int[] Select(ReadOnlySpan<float> scores, ReadOnlySpan<int> sourceIds, IReadOnlyList<SentenceTokenRange> sentences, int count)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        if (scores.Length != sentences.Count)
            throw new ArgumentException("One score per sentence is needed.", nameof(scores));
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var s = scores.ToArray();
        var order = Enumerable.Range(0, s.Length).OrderByDescending(j => s[j]).ThenBy(j => j).ToArray();
        var chosen = new List<int>(count);
        var seen = new HashSet<(int, int, int)>();
        foreach (var j in order)
        {
            if (chosen.Count == count)
                break;
            var t = Trigrams(sourceIds, sentences[j]);
            if (t.Overlaps(seen))
                continue;
            chosen.Add(j);
            seen.UnionWith(t);
        }
        return chosen.ToArray();
    }

    private static HashSet<(int, int, int)> Trigrams(ReadOnlySpan<int> ids, SentenceTokenRange sentence)
    {
        var set = new HashSet<(int, int, int)>();
        for (var i = sentence.TokenStart; i + 2 < sentence.TokenEnd; i++)
            set.Add((ids[i], ids[i + 1], ids[i + 2]));
        return set;
    }
}
