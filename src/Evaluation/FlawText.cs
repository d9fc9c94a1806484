using Summarizer.Inference.Text;
using Summarizer.Inference.Tokenization;

namespace Summarizer.Evaluation;

/// <summary>
/// The text the flaw rules read (<see cref="FlawChecker"/>): lower-cased (invariant), diacritics folded (NFD, non-spacing
/// marks dropped); a word is a maximal run of Unicode letters or digits, so "o'connell" is "o", "connell" and "u.s." is "u", "s".
/// </summary>
public static class FlawText
{
    /// <summary><paramref name="text"/> lower-cased (invariant) with its diacritics folded: "Café" → "cafe".</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // BERT uncased's fold (lower, NFD, marks dropped) from Inference: string.Normalize is a no-op under InvariantGlobalization.
        return UncasedFolding.Fold(text);
    }

    /// <summary>The folded words of <paramref name="text"/>, in order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static List<string> Words(string text) => WordParts.Of(Fold(text));

    /// <summary>The folded words of <paramref name="text"/> and, between them, each other non-space character as a token of its own.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static List<string> Tokens(string text)
    {
        string folded = Fold(text);
        var tokens = new List<string>();
        int start = -1;
        for (int i = 0; i <= folded.Length; i++)
        {
            if (i < folded.Length && char.IsLetterOrDigit(folded[i]))
            {
                start = start < 0 ? i : start;
                continue;
            }

            if (start >= 0)
            {
                tokens.Add(folded[start..i]);
                start = -1;
            }

            if (i < folded.Length && !char.IsWhiteSpace(folded[i]))
            {
                tokens.Add(folded[i].ToString());
            }
        }

        return tokens;
    }

    /// <summary>True when <paramref name="word"/> has a letter.</summary>
    public static bool HasLetter(string word) => word.Any(char.IsLetter);

    /// <summary>True when <paramref name="word"/> has a digit.</summary>
    public static bool HasDigit(string word) => word.Any(char.IsDigit);
}
