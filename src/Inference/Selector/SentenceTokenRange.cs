namespace Summarizer.Inference.Selector;

/// <summary>The model tokens of one source sentence: tokens [TokenStart, TokenEnd) of the window belong to sentence <c>Sentence</c>.</summary>
/// <param name="Sentence">Index into the input's sentences (<see cref="SourceSentence"/>).</param>
/// <param name="TokenStart">First token of the sentence in the window.</param>
/// <param name="TokenEnd">One past its last token in the window (a sentence the window cuts ends at the window).</param>
public readonly record struct SentenceTokenRange(int Sentence, int TokenStart, int TokenEnd)
{
    /// <summary>
    /// The token ranges of the sentences the window read, in order: a token belongs to the sentence holding its first
    /// character (or the nearest sentence before it). Sentences without a read token are left out.
    /// </summary>
    /// <param name="sentences">The input's sentences, in order.</param>
    /// <param name="tokens">The tokens the model read, in order.</param>
    public static SentenceTokenRange[] Of(IReadOnlyList<SourceSentence> sentences, IReadOnlyList<SourceToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentNullException.ThrowIfNull(tokens);
        var ranges = new List<SentenceTokenRange>();
        if (sentences.Count == 0)
            return [];
        var s = 0;
        for (var t = 0; t < tokens.Count; t++)
        {
            // Tokens and sentences are both in text order: walk the sentences forward once.
            while (s + 1 < sentences.Count && sentences[s + 1].Start <= tokens[t].Start)
                s++;
            if (ranges.Count > 0 && ranges[^1].Sentence == s)
                ranges[^1] = ranges[^1] with { TokenEnd = t + 1 };
            else
                ranges.Add(new SentenceTokenRange(s, t, t + 1));
        }
        return ranges.ToArray();
    }
}
