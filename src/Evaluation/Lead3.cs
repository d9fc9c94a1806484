namespace Summarizer.Evaluation;

/// <summary>The lead-3 baseline: an article's first three sentences.</summary>
public static class Lead3
{
    /// <summary>The first three sentences of a cnndm-style tokenized article, one per line (fewer when the article is shorter).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="article"/> is null.</exception>
    public static string Select(string article) => string.Join('\n', SentenceSplitter.SplitTokenized(article).Take(3));
}
