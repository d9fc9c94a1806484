using Summarizer.Inference.Text;

namespace Summarizer.Inference;

/// <summary>
/// Sentence provenance: which source sentences each summary sentence draws on, from the copy attention the decoder really
/// computed — a summary sentence's share of source sentence s is the attention its tokens gave to s's tokens, over all
/// the attention they gave.
/// </summary>
public static class SentenceProvenance
{
    /// <summary>A source sentence with less of the attention than this is not named (unless it is the largest).</summary>
    public const float MinShare = 0.15f;

    /// <summary>At most this many source sentences are named per summary sentence.</summary>
    public const int MaxSources = 3;

    /// <summary>The input's sentences, each marked read when it starts before the end of the last token the model read.</summary>
    public static SourceSentence[] SourceSentences(string input, IReadOnlyList<SourceToken> readTokens)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(readTokens);
        var readEnd = readTokens.Count > 0 ? readTokens[^1].End : 0;
        return SentenceSpans.Split(input).Select(s => new SourceSentence(s.Start, s.End, s.Start < readEnd)).ToArray();
    }

    /// <summary>
    /// The summary's sentences with their sources.
    /// </summary>
    /// <param name="summary">The summary text.</param>
    /// <param name="summaryTokens">Its tokens (spans in <paramref name="summary"/>).</param>
    /// <param name="sourceTokens">The source tokens the model read (spans in the input).</param>
    /// <param name="sourceSentences">The input's sentences (<see cref="SourceSentences"/>).</param>
    /// <param name="copyAttention">[summary tokens, source tokens] copy attention, flattened.</param>
    public static SummarySentence[] Summarize(string summary, IReadOnlyList<SummaryToken> summaryTokens, IReadOnlyList<SourceToken> sourceTokens,
        IReadOnlyList<SourceSentence> sourceSentences, ReadOnlySpan<float> copyAttention)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(summaryTokens);
        ArgumentNullException.ThrowIfNull(sourceTokens);
        ArgumentNullException.ThrowIfNull(sourceSentences);
        var s = sourceTokens.Count;
        if (copyAttention.Length != summaryTokens.Count * s)
            throw new ArgumentException("One attention row per summary token, one weight per source token, is needed.", nameof(copyAttention));

        var spans = sourceSentences.Select(x => (x.Start, x.End)).ToList();
        var sentenceOf = new int[s];
        for (var j = 0; j < s; j++)
            sentenceOf[j] = SentenceSpans.IndexOf(spans, sourceTokens[j].Start);

        var sentences = SentenceSpans.Split(summary);
        var result = new SummarySentence[sentences.Count];
        var mass = new double[Math.Max(sourceSentences.Count, 1)];
        for (var k = 0; k < sentences.Count; k++)
        {
            Array.Clear(mass);
            var (start, end) = sentences[k];
            for (var t = 0; t < summaryTokens.Count; t++)
            {
                var token = summaryTokens[t];
                if (token.Start == token.End || token.Start < start || token.Start >= end)
                    continue; // a special token, or another sentence's
                var row = copyAttention.Slice(t * s, s);
                for (var j = 0; j < s; j++)
                    mass[sentenceOf[j]] += row[j];
            }
            var total = mass.Sum();
            var sources = Enumerable.Range(0, sourceSentences.Count)
                .Where(i => total > 0 && mass[i] > 0)
                .OrderByDescending(i => mass[i]).ThenBy(i => i)
                .Select((i, rank) => (i, rank, share: (float)(mass[i] / total)))
                .Where(x => x.rank == 0 || x.share >= MinShare)
                .Take(MaxSources)
                .Select(x => new SentenceSource(x.i, sourceSentences[x.i].Start, sourceSentences[x.i].End, x.share))
                .ToArray();
            result[k] = new SummarySentence(start, end, sources);
        }
        return result;
    }
}
