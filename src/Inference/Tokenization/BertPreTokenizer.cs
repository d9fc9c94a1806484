using System.Buffers;
using System.Globalization;
using System.Text;

namespace Summarizer.Inference.Tokenization;

/// <summary>
/// BERT's "basic tokenization" for an uncased vocabulary (the step before WordPiece), keeping where every output character
/// came from: control characters dropped, whitespace splits, CJK ideographs stand alone, lower-cased, accents stripped
/// (NFD, non-spacing marks removed), every punctuation character its own word. training/wordpiece.py mirrors it.
/// </summary>
public static class BertPreTokenizer
{
    /// <summary>One basic token: its text and, per UTF-16 unit of it, the index of the input character it came from.</summary>
    public readonly record struct Word(string Text, int[] Origins);

    /// <summary>Splits <paramref name="text"/> into basic tokens; never throws for any string.</summary>
    public static List<Word> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<Word>();
        var current = new StringBuilder();
        var origins = new List<int>();
        void Flush()
        {
            if (current.Length == 0)
                return;
            words.Add(new Word(current.ToString(), origins.ToArray()));
            current.Clear();
            origins.Clear();
        }

        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed) != OperationStatus.Done)
            {
                i += consumed == 0 ? 1 : consumed; // a lone surrogate is dropped like U+FFFD
                continue;
            }
            var at = i;
            i += consumed;
            var cp = rune.Value;
            if (cp == 0 || cp == 0xFFFD || IsControl(rune))
                continue;
            if (IsWhitespace(rune))
            {
                Flush();
                continue;
            }
            if (IsCjk(cp) || IsPunctuation(rune))
            {
                Flush();
                Append(current, origins, rune, at);
                Flush();
                continue;
            }
            Append(current, origins, rune, at);
        }
        Flush();
        return words;
    }

    // Lower-case, then NFD with non-spacing marks removed: the uncased vocabulary's "strip accents".
    private static void Append(StringBuilder current, List<int> origins, Rune rune, int at)
    {
        for (var added = UncasedFolding.Append(rune, current); added > 0; added--)
            origins.Add(at);
    }

    private static bool IsWhitespace(Rune r) =>
        r.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    // Python's unicodedata "C*" categories, minus the whitespace controls.
    private static bool IsControl(Rune r)
    {
        if (r.Value is '\t' or '\n' or '\r')
            return false;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    // ASCII non-alphanumerics count as punctuation (so $ ^ ` + < = > | ~ split off), as do Unicode "P*" categories.
    private static bool IsPunctuation(Rune r)
    {
        var cp = r.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
            return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    // The CJK Unified Ideographs blocks BERT splits character by character.
    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
