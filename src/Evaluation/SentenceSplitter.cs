using Summarizer.Inference.Text;

namespace Summarizer.Evaluation;

/// <summary>Splits text into sentences for ROUGE-Lsum and the lead-3 baseline.</summary>
public static class SentenceSplitter
{
    /// <summary>
    /// Splits cnndm-style tokenized text (space-separated PTB words) after each <c>.</c>, <c>?</c> or <c>!</c> word
    /// (runs such as <c>?!</c> too); a closing double quote right after the end stays with its sentence.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static List<string> SplitTokenized(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        var current = new List<string>();
        bool quoteOpen = false;
        bool ended = false;
        foreach (string word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            bool closingQuote = ended && word == "\"" && quoteOpen;
            if (ended && !closingQuote)
            {
                sentences.Add(string.Join(' ', current));
                current.Clear();
            }

            current.Add(word);
            if (word == "\"")
            {
                quoteOpen = !quoteOpen;
            }

            ended = IsSentenceEnd(word) || closingQuote;
        }

        if (current.Count > 0)
        {
            sentences.Add(string.Join(' ', current));
        }

        return sentences;
    }

    /// <summary>
    /// Splits natural text (a detokenized summary) at whitespace after a word ending in <c>.</c>, <c>?</c> or <c>!</c>
    /// (closing quotes and brackets allowed after it), except after abbreviations and initials (<c>U.S.</c>, <c>Dr.</c>) and ellipses.
    /// Line breaks always split. Tokenized text splits as <see cref="SplitTokenized"/> does.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static List<string> SplitNatural(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            var current = new List<string>();
            foreach (string chunk in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                current.Add(chunk);
                if (EndsSentence(chunk))
                {
                    sentences.Add(string.Join(' ', current));
                    current.Clear();
                }
            }

            if (current.Count > 0)
            {
                sentences.Add(string.Join(' ', current));
            }
        }

        return sentences;
    }

    private static bool IsSentenceEnd(string word) => word == "." || (word.Length > 0 && word.All(c => c is '?' or '!'));

    private static bool EndsSentence(string chunk)
    {
        string core = chunk.TrimEnd('"', '\'', ')', ']', '\u201D', '\u2019');
        if (core.Length == 0 || core[^1] is not ('.' or '?' or '!'))
        {
            return false;
        }

        if (core[^1] is '?' or '!')
        {
            return true;
        }

        if (core.EndsWith("..", StringComparison.Ordinal))
        {
            return false;
        }

        // The word before the final period: an abbreviation keeps the sentence going.
        string word = core[..^1].TrimStart('"', '\'', '(', '[', '\u201C', '\u2018');
        return word.Length == 0 || !IsAbbreviation(word);
    }

    private static bool IsAbbreviation(string word) =>
        (word.Length == 1 && char.IsLetter(word[0]))
        || (word.Contains('.') && word.Split('.').All(part => part.Length is > 0 and <= 2 && part.All(char.IsLetter)))
        || PtbLexicon.Abbreviations.Contains(word);
}
