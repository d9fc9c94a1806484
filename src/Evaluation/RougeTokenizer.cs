using System.Text;

namespace Summarizer.Evaluation;

/// <summary>rouge-score's tokenizer: lower-case, every character outside [a-z0-9] becomes a space, split; tokens longer than 3 characters are Porter-stemmed (NLTK's default mode, as rouge-score does).</summary>
public static class RougeTokenizer
{
    /// <summary>Tokenizes <paramref name="text"/>.</summary>
    /// <param name="text">Any text.</param>
    /// <param name="stem">Porter-stem tokens longer than 3 characters (rouge-score's use_stemmer=True).</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static List<string> Tokenize(string text, bool stem = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (char raw in text)
        {
            char c = char.ToLowerInvariant(raw);
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                tokens.Add(Finish(current, stem));
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(Finish(current, stem));
        }

        return tokens;
    }

    private static string Finish(StringBuilder current, bool stem)
    {
        string token = current.ToString();
        current.Clear();
        return stem && token.Length > 3 ? PorterStemmer.Stem(token) : token;
    }
}
