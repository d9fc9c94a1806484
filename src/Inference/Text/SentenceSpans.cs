namespace Summarizer.Inference.Text;

/// <summary>
/// Where the sentences of a text are, as [start, end) character spans: a sentence ends at whitespace after a chunk
/// ending in <c>.</c>, <c>?</c> or <c>!</c> (closing quotes and brackets allowed after it), except after abbreviations
/// and initials (<c>U.S.</c>, <c>Dr.</c>) and ellipses; a line break always ends one. PTB text (<c>it rained .</c>)
/// splits the same way. One rule for the summary's provenance and the evaluation's ROUGE-Lsum lines.
/// </summary>
public static class SentenceSpans
{
    /// <summary>The sentences of <paramref name="text"/>, in order, each trimmed of surrounding whitespace.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static List<(int Start, int End)> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<(int, int)>();
        int start = -1, end = -1;
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                if (text[i] == '\n' && start >= 0)
                {
                    sentences.Add((start, end));
                    start = -1;
                }
                i++;
                continue;
            }
            var chunkStart = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
                i++;
            if (start < 0)
                start = chunkStart;
            end = i;
            if (EndsSentence(text.AsSpan(chunkStart, i - chunkStart)))
            {
                sentences.Add((start, end));
                start = -1;
            }
        }
        if (start >= 0)
            sentences.Add((start, end));
        return sentences;
    }

    /// <summary>The index of the sentence holding character <paramref name="offset"/> (the nearest one before it when it falls between sentences).</summary>
    public static int IndexOf(IReadOnlyList<(int Start, int End)> sentences, int offset)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var at = 0;
        for (var s = 0; s < sentences.Count && sentences[s].Start <= offset; s++)
            at = s;
        return at;
    }

    private static bool EndsSentence(ReadOnlySpan<char> chunk)
    {
        var core = chunk.TrimEnd("\"')]\u201D\u2019");
        if (core.Length == 0 || core[^1] is not ('.' or '?' or '!'))
            return false;
        if (core[^1] is '?' or '!')
            return true;
        if (core.EndsWith(".."))
            return false;
        // The word before the final period: an abbreviation keeps the sentence going.
        var word = core[..^1].TrimStart("\"'([\u201C\u2018").ToString();
        return word.Length == 0 || !IsAbbreviation(word);
    }

    private static bool IsAbbreviation(string word) =>
        (word.Length == 1 && char.IsLetter(word[0]))
        || (word.Contains('.') && word.Split('.').All(part => part.Length is > 0 and <= 2 && part.All(char.IsLetter)))
        || PtbLexicon.Abbreviations.Contains(word);
}
