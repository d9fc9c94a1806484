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
    /// Splits natural text (a detokenized summary) as <see cref="SentenceSpans.Split"/> does (the rule the service's
    /// provenance uses), each sentence's whitespace collapsed to single spaces. Tokenized text splits as
    /// <see cref="SplitTokenized"/> does.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static List<string> SplitNatural(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SentenceSpans.Split(text)
            .Select(span => string.Join(' ', text[span.Start..span.End].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .ToList();
    }

    private static bool IsSentenceEnd(string word) => word == "." || (word.Length > 0 && word.All(c => c is '?' or '!'));
}
