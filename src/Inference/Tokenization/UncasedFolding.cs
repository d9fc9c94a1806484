using System.Globalization;
using System.Text;

namespace Summarizer.Inference.Tokenization;

/// <summary>
/// BERT uncased's per-character folding as training/wordpiece.py computes it: <c>ch.lower()</c>, canonical decomposition
/// (NFD), non-spacing marks (Mn) dropped, so <c>É</c> → <c>e</c>. <see cref="string.Normalize()"/> cannot do it here: under
/// InvariantGlobalization (this solution's setting) it returns non-ASCII text unchanged. The decompositions come from
/// Python's own Unicode tables (UncasedFolding.Table.cs, generated); Hangul syllables decompose by rule.
/// Public for the evaluation's flaw checks (src/Evaluation's FlawText), which fold words as the tokenizer does.
/// </summary>
public static partial class UncasedFolding
{
    /// <summary><paramref name="text"/> folded character by character: "Café" → "cafe".</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
            Append(rune, folded);
        return folded.ToString();
    }

    /// <summary>Appends the fold of <paramref name="rune"/> to <paramref name="into"/>; returns how many UTF-16 units it added (0 for a dropped mark).</summary>
    internal static int Append(Rune rune, StringBuilder into)
    {
        var start = into.Length;
        var cp = rune.Value;
        if (cp < 0x80)
        {
            into.Append((char)(cp is >= 'A' and <= 'Z' ? cp + 32 : cp));
        }
        else if (Table.TryGetValue(cp, out var folded))
        {
            into.Append(folded);
        }
        else if (cp is >= HangulBase and < HangulBase + HangulCount)
        {
            // Unicode's algorithmic decomposition: leading consonant, vowel and (when present) trailing consonant jamo.
            var s = cp - HangulBase;
            into.Append((char)(0x1100 + s / 588)).Append((char)(0x1161 + s % 588 / 28));
            if (s % 28 != 0)
                into.Append((char)(0x11A7 + s % 28));
        }
        else
        {
            var lower = Rune.ToLowerInvariant(rune);
            if (Rune.GetUnicodeCategory(lower) != UnicodeCategory.NonSpacingMark)
                into.Append(lower.ToString());
        }
        return into.Length - start;
    }

    private const int HangulBase = 0xAC00, HangulCount = 11172;
}
