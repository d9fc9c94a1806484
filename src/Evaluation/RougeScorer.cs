namespace Summarizer.Evaluation;

/// <summary>
/// ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum with Google rouge-score's conventions (tokenizer and Porter stemming of
/// <see cref="RougeTokenizer"/>; for Lsum, one sentence per line in both texts).
/// </summary>
public static class RougeScorer
{
    /// <summary>Scores <paramref name="candidate"/> against <paramref name="reference"/>; both have one sentence per line.</summary>
    /// <exception cref="ArgumentNullException">Either text is null.</exception>
    public static RougeScores Score(string candidate, string reference, bool stem = true)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        var candidateTokens = RougeTokenizer.Tokenize(candidate, stem);
        var referenceTokens = RougeTokenizer.Tokenize(reference, stem);
        return new RougeScores(
            RougeN(candidateTokens, referenceTokens, 1),
            RougeN(candidateTokens, referenceTokens, 2),
            RougeL(candidateTokens, referenceTokens),
            RougeLsum(SentenceTokens(candidate, stem), SentenceTokens(reference, stem)));
    }

    /// <summary>N-gram overlap: matched n-grams (clipped counts) over each side's n-gram count.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public static RougeScore RougeN(IReadOnlyList<string> candidate, IReadOnlyList<string> reference, int n)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var referenceCounts = NgramCounts(reference, n);
        var candidateCounts = NgramCounts(candidate, n);
        int matched = 0;
        foreach (var (ngram, count) in candidateCounts)
        {
            if (referenceCounts.TryGetValue(ngram, out int referenceCount))
            {
                matched += Math.Min(count, referenceCount);
            }
        }

        return RougeScore.FromCounts(matched, Math.Max(candidate.Count - n + 1, 0), Math.Max(reference.Count - n + 1, 0));
    }

    /// <summary>Longest common subsequence over each side's length.</summary>
    public static RougeScore RougeL(IReadOnlyList<string> candidate, IReadOnlyList<string> reference)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        if (candidate.Count == 0 || reference.Count == 0)
        {
            return default;
        }

        var table = LcsTable(reference, candidate);
        return RougeScore.FromCounts(table[reference.Count, candidate.Count], candidate.Count, reference.Count);
    }

    /// <summary>
    /// Summary-level LCS: for each reference sentence, the union of its LCS positions against every candidate sentence;
    /// each hit is counted at most as often as the token occurs on both sides.
    /// </summary>
    public static RougeScore RougeLsum(IReadOnlyList<IReadOnlyList<string>> candidateSentences, IReadOnlyList<IReadOnlyList<string>> referenceSentences)
    {
        ArgumentNullException.ThrowIfNull(candidateSentences);
        ArgumentNullException.ThrowIfNull(referenceSentences);
        int referenceTotal = referenceSentences.Sum(s => s.Count);
        int candidateTotal = candidateSentences.Sum(s => s.Count);
        if (referenceTotal == 0 || candidateTotal == 0)
        {
            return default;
        }

        var referenceLeft = TokenCounts(referenceSentences);
        var candidateLeft = TokenCounts(candidateSentences);
        int hits = 0;
        foreach (var sentence in referenceSentences)
        {
            var union = new SortedSet<int>();
            foreach (var candidate in candidateSentences)
            {
                union.UnionWith(LcsPositions(sentence, candidate));
            }

            foreach (int position in union)
            {
                string token = sentence[position];
                if (candidateLeft.GetValueOrDefault(token) > 0 && referenceLeft.GetValueOrDefault(token) > 0)
                {
                    hits++;
                    candidateLeft[token]--;
                    referenceLeft[token]--;
                }
            }
        }

        return RougeScore.FromCounts(hits, candidateTotal, referenceTotal);
    }

    private static List<IReadOnlyList<string>> SentenceTokens(string text, bool stem) =>
        text.Split('\n').Where(line => line.Length > 0).Select(line => (IReadOnlyList<string>)RougeTokenizer.Tokenize(line, stem)).ToList();

    private static Dictionary<string, int> NgramCounts(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            // Tokens are [a-z0-9]+, so a space joins an n-gram unambiguously.
            string ngram = n == 1 ? tokens[i] : string.Join(' ', Enumerable.Range(i, n).Select(k => tokens[k]));
            counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
        }

        return counts;
    }

    private static Dictionary<string, int> TokenCounts(IReadOnlyList<IReadOnlyList<string>> sentences)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
        {
            foreach (string token in sentence)
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }

        return counts;
    }

    // table[i, j] = LCS length of reference[..i] and candidate[..j].
    private static int[,] LcsTable(IReadOnlyList<string> reference, IReadOnlyList<string> candidate)
    {
        var table = new int[reference.Count + 1, candidate.Count + 1];
        for (int i = 1; i <= reference.Count; i++)
        {
            for (int j = 1; j <= candidate.Count; j++)
            {
                table[i, j] = reference[i - 1] == candidate[j - 1]
                    ? table[i - 1, j - 1] + 1
                    : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table;
    }

    // Positions in `reference` of one LCS, walked back from the end with rouge-score's tie-break (move in the candidate only when strictly better).
    private static List<int> LcsPositions(IReadOnlyList<string> reference, IReadOnlyList<string> candidate)
    {
        var table = LcsTable(reference, candidate);
        var positions = new List<int>();
        int i = reference.Count;
        int j = candidate.Count;
        while (i > 0 && j > 0)
        {
            if (reference[i - 1] == candidate[j - 1])
            {
                positions.Add(i - 1);
                i--;
                j--;
            }
            else if (table[i, j - 1] > table[i - 1, j])
            {
                j--;
            }
            else
            {
                i--;
            }
        }

        return positions;
    }
}
