using System.Globalization;
using System.Text;

namespace Summarizer.Inference.Text;

/// <summary>
/// One left-to-right pass over the input: characters accumulate into a word until a separator or a punctuation mark
/// that PTB splits off; each finished word is split further for clitics and emitted with its span.
/// </summary>
internal sealed class PtbScanner
{
    // The input without invisible formatting characters (soft hyphens, direction marks), and where each of its characters came from.
    private readonly string _input;
    private readonly int[]? _originalIndex;
    private readonly StringBuilder _text;
    private readonly List<NormalizedWord> _words = [];
    private int _wordStart = -1;

    public PtbScanner(string original)
    {
        _input = original;
        if (original.AsSpan().IndexOfAny(Ignorables) >= 0)
        {
            var kept = new StringBuilder(original.Length);
            var index = new List<int>(original.Length);
            for (int i = 0; i < original.Length; i++)
            {
                if (!Ignorables.Contains(original[i]))
                {
                    kept.Append(original[i]);
                    index.Add(i);
                }
            }

            _input = kept.ToString();
            _originalIndex = [.. index];
        }

        _text = new StringBuilder(_input.Length + _input.Length / 8);
    }

    private static System.Buffers.SearchValues<char> Ignorables { get; } = System.Buffers.SearchValues.Create(
        "\u00AD\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    public string Text => _text.ToString();

    public IReadOnlyList<NormalizedWord> Words => _words;

    public void Run()
    {
        int i = 0;
        while (i < _input.Length)
        {
            i = Step(i);
        }

        Flush(_input.Length);
    }

    // Consumes what starts at i and returns where the next step begins.
    private int Step(int i)
    {
        char c = _input[i];
        if (IsSeparator(c))
        {
            Flush(i);
            return i + 1;
        }

        if (PtbLexicon.IsDoubleQuote(c) || c is '(' or ')' or '[' or ']' or '{' or '}' or ';' or '\u00BF' or '\u00A1')
        {
            return Single(i);
        }

        switch (c)
        {
            case '?' or '!':
                return Run(i, ch => ch is '?' or '!');
            case '`':
                return i + 1 < _input.Length && _input[i + 1] == '`' ? Standalone(i, i + 2, "\"") : Standalone(i, i + 1, "'");
            case ',':
                return IsDigitAt(i - 1) && IsDigitAt(i + 1) && _wordStart >= 0 ? i + 1 : Single(i);
            case ':':
                return _wordStart >= 0 && ((IsDigitAt(i - 1) && IsDigitAt(i + 1)) || At(i + 1) == '/' && At(i + 2) == '/') ? i + 1 : Single(i);
            case '.':
                return Period(i);
            case '\u2026':
                return Standalone(i, i + 1, "...");
            case '-':
                return Hyphen(i);
            case '%' or '\u2030' or '\u2013' or '\u2014' or '\u2015' or '\u2012':
                return Single(i);
        }

        if (PtbLexicon.IsApostrophe(c))
        {
            return Apostrophe(i);
        }

        if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol)
        {
            return Single(i);
        }

        if (Rune.DecodeFromUtf16(_input.AsSpan(i), out var rune, out int length) == System.Buffers.OperationStatus.Done
            && Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol)
        {
            return Standalone(i, SymbolClusterEnd(i, i + length), null);
        }

        // A word character; a surrogate pair is consumed whole so a word never ends inside it.
        if (_wordStart < 0)
        {
            _wordStart = i;
        }

        return i + Math.Max(1, length);
    }

    private int Period(int i)
    {
        int end = i;
        while (end < _input.Length && _input[end] == '.')
        {
            end++;
        }

        if (end - i >= 2)
        {
            return Standalone(i, end, null);
        }

        if (IsWordCharAt(i + 1))
        {
            // Inside a word: u.s, 3.5, there.i, www.cnn.com.
            if (_wordStart < 0)
            {
                _wordStart = i;
            }

            return i + 1;
        }

        if (_wordStart >= 0 && IsAbbreviation(_wordStart, i))
        {
            Flush(i + 1);
            return i + 1;
        }

        return Single(i);
    }

    private int Hyphen(int i)
    {
        int end = i;
        while (end < _input.Length && _input[end] == '-')
        {
            end++;
        }

        if (end - i >= 2)
        {
            return Standalone(i, end, null);
        }

        if (_wordStart >= 0 && IsLetterOrDigitAt(i - 1) && IsLetterOrDigitAt(i + 1))
        {
            int segmentStart = i - 1;
            while (segmentStart > _wordStart && _input[segmentStart - 1] != '-')
            {
                segmentStart--;
            }

            if (PtbLexicon.HyphenPrefixes.Contains(_input[segmentStart..i]))
            {
                return i + 1;
            }
        }

        return Single(i);
    }

    private int Apostrophe(int i)
    {
        if (_input[i] == '\'' && At(i + 1) == '\'')
        {
            return Standalone(i, i + 2, "\"");
        }

        if (_wordStart >= 0)
        {
            // o'reilly, don't, it's stay in the word (clitics split at flush); a trailing one closes a quote or a plural possessive.
            return IsLetterOrDigitAt(i + 1) ? i + 1 : Single(i);
        }

        // At a word start: a clitic written alone ('s in normalized text), a year ('90s), or an opening quote.
        int letters = i + 1;
        while (letters < _input.Length && char.IsLetter(_input[letters]))
        {
            letters++;
        }

        bool cliticAlone = !IsWordCharAt(letters) && letters > i + 1
            && PtbLexicon.Clitics.Contains("'" + _input[(i + 1)..letters].ToLowerInvariant());
        if (cliticAlone || IsDigitAt(i + 1))
        {
            _wordStart = i;
            return i + 1;
        }

        return Single(i);
    }

    // Abbreviations keep their period: u.s., l.l., ph.d., single initials, and the listed titles/months/states.
    private bool IsAbbreviation(int start, int dot)
    {
        var word = _input.AsSpan(start, dot - start);
        if (word.Length == 1)
        {
            return char.IsLetter(word[0]);
        }

        if (word.Contains('.'))
        {
            foreach (var part in word.ToString().Split('.'))
            {
                if (part.Length is 0 or > 2 || !part.All(char.IsLetter))
                {
                    return false;
                }
            }

            return true;
        }

        if (word.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            int next = dot + 1;
            while (next < _input.Length && IsSeparator(_input[next]))
            {
                next++;
            }

            return IsDigitAt(next);
        }

        return PtbLexicon.Abbreviations.Contains(word.ToString());
    }

    // An emoji with its variation selectors, skin tones, keycap marks and zero-width-joined parts (regional-indicator flags pair up).
    private int SymbolClusterEnd(int start, int i)
    {
        while (i < _input.Length)
        {
            if (Rune.DecodeFromUtf16(_input.AsSpan(i), out var rune, out int length) != System.Buffers.OperationStatus.Done)
            {
                return i;
            }

            bool joiner = rune.Value == 0x200D;
            bool modifier = rune.Value is 0xFE0E or 0xFE0F or 0x20E3 or (>= 0x1F3FB and <= 0x1F3FF) or (>= 0xE0020 and <= 0xE007F)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;
            bool flagHalf = rune.Value is >= 0x1F1E6 and <= 0x1F1FF && i == start + 2 && IsRegionalIndicatorAt(start);
            if (joiner)
            {
                i += length;
                if (i < _input.Length && Rune.DecodeFromUtf16(_input.AsSpan(i), out var joined, out int next) == System.Buffers.OperationStatus.Done
                    && Rune.GetUnicodeCategory(joined) == UnicodeCategory.OtherSymbol)
                {
                    i += next;
                }
            }
            else if (modifier || flagHalf)
            {
                i += length;
            }
            else
            {
                return i;
            }
        }

        return i;
    }

    private bool IsRegionalIndicatorAt(int i) =>
        i >= 0 && Rune.DecodeFromUtf16(_input.AsSpan(i), out var r, out _) == System.Buffers.OperationStatus.Done
        && r.Value is >= 0x1F1E6 and <= 0x1F1FF;

    private int Single(int i) => Standalone(i, i + 1, null);

    private int Run(int i, Func<char, bool> member)
    {
        int end = i;
        while (end < _input.Length && member(_input[end]))
        {
            end++;
        }

        return Standalone(i, end, null);
    }

    private int Standalone(int start, int end, string? text)
    {
        Flush(start);
        Emit(start, end, text);
        return end;
    }

    // Ends the current word at `end`, splitting PTB clitics (don't → do n't, it's → it 's) and contractions (cannot → can not).
    private void Flush(int end)
    {
        int start = _wordStart;
        _wordStart = -1;
        if (start < 0 || start >= end)
        {
            return;
        }

        EmitSplit(start, end);
    }

    // Splits from the end first, so a word with two clitics (it's's) is split as fully as its normalized form would be.
    private void EmitSplit(int start, int end)
    {
        int split = CliticSplit(start, end);
        if (split > start)
        {
            EmitSplit(start, split);
            Emit(split, end, null);
        }
        else
        {
            Emit(start, end, null);
        }
    }

    private int CliticSplit(int start, int end)
    {
        int length = end - start;
        if (PtbLexicon.SplitWords.TryGetValue(_input[start..end], out int at))
        {
            return start + at;
        }

        // A clitic splits only off a letter or digit (don't, 1990's), so no split leaves a word that would re-split differently.
        if (length > 3 && char.IsLetterOrDigit(_input[end - 4]) && char.ToLowerInvariant(_input[end - 3]) == 'n' && PtbLexicon.IsApostrophe(_input[end - 2])
            && char.ToLowerInvariant(_input[end - 1]) == 't')
        {
            return end - 3;
        }

        for (int k = 2; k <= 3; k++)
        {
            if (length > k && char.IsLetterOrDigit(_input[end - k - 1]) && PtbLexicon.IsApostrophe(_input[end - k])
                && PtbLexicon.Clitics.Contains("'" + _input[(end - k + 1)..end].ToLowerInvariant()))
            {
                return end - k;
            }
        }

        return -1;
    }

    private void Emit(int start, int end, string? text)
    {
        text ??= Map(start, end);
        if (text.Length == 0)
        {
            return;
        }

        if (_words.Count > 0)
        {
            _text.Append(' ');
        }

        int originalStart = _originalIndex is null ? start : _originalIndex[start];
        int originalEnd = _originalIndex is null ? end : _originalIndex[end - 1] + 1;
        _words.Add(new NormalizedWord(text, originalStart, originalEnd, _text.Length));
        _text.Append(text);
    }

    // Lower-cases and maps quote variants.
    private string Map(int start, int end)
    {
        var builder = new StringBuilder(end - start);
        for (int i = start; i < end; i++)
        {
            char c = _input[i];
            if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(_input[i + 1]))
            {
                var rune = Rune.ToLowerInvariant(new Rune(c, _input[i + 1]));
                builder.Append(rune.ToString());
                i++;
            }
            else if (PtbLexicon.IsApostrophe(c))
            {
                builder.Append('\'');
            }
            else if (PtbLexicon.IsDoubleQuote(c))
            {
                builder.Append('"');
            }
            else
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    // Whitespace (CRLF, tabs, NBSP and other Unicode spaces), control characters and zero-width spaces separate words.
    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u200B' or '\u2060' or '\uFEFF';

    private char At(int i) => i >= 0 && i < _input.Length ? _input[i] : '\0';

    private bool IsDigitAt(int i) => char.IsAsciiDigit(At(i));

    private bool IsLetterOrDigitAt(int i) => i >= 0 && i < _input.Length && char.IsLetterOrDigit(_input[i]);

    // Letters, digits, marks and surrogates continue a word; punctuation, symbols and separators do not.
    private bool IsWordCharAt(int i)
    {
        if (i < 0 || i >= _input.Length)
        {
            return false;
        }

        if (Rune.DecodeFromUtf16(_input.AsSpan(i), out var rune, out _) != System.Buffers.OperationStatus.Done)
        {
            return char.IsSurrogate(_input[i]);
        }

        return Rune.IsLetterOrDigit(rune)
            || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }
}
