namespace Summarizer.Inference.Text;

/// <summary>
/// Words as a reader counts them when judging repeats: the maximal runs of letters or digits ("o'neill" is "o" and
/// "neill", "mega-fight" is "mega" and "fight"), and which of them are content words. Grounded decoding's repeat limit
/// and the evaluation's repeated-content-word rate both read them from here, so the two count alike.
/// </summary>
public static class WordParts
{
    /// <summary>The maximal runs of letters or digits of <paramref name="text"/>, in order (as written: no case folding).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static List<string> Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLetterOrDigit(text[i]))
                start = start < 0 ? i : start;
            else if (start >= 0)
            {
                parts.Add(text[start..i]);
                start = -1;
            }
        }
        return parts;
    }

    /// <summary>True when <paramref name="part"/> (lower-case) is a content word: it has a letter and is no stopword (<see cref="EnglishStopwords"/>).</summary>
    public static bool IsContent(string part) => part.Any(char.IsLetter) && !EnglishStopwords.Contains(part);
}
