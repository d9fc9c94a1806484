using System.Text;

namespace Summarizer.Inference.Text;

/// <summary>
/// Turns lower-cased PTB words from the decoder back into natural text: PTB spacing undone
/// (<c>do n't</c> → <c>don't</c>, <c>( cnn )</c> → <c>(CNN)</c>, quotes attached), sentence starts and <c>I</c> capitalized,
/// and words that occur in the source spelled as the source spells them (<c>Obama</c>, <c>NASA</c>, <c>iPhone</c>, <c>U.S.</c>).
/// </summary>
public sealed class Detokenizer
{
    private static readonly HashSet<string> NoSpaceBefore = new(StringComparer.Ordinal)
    {
        ".", ",", ";", ":", "?", "!", ")", "]", "}", "%", "...", "n't", "'s", "'m", "'d", "'re", "'ve", "'ll", "-",
    };

    private static readonly HashSet<string> NoSpaceAfter = new(StringComparer.Ordinal)
    {
        "(", "[", "{", "$", "£", "€", "¥", "-", "¿", "¡",
    };

    private static readonly HashSet<string> SentenceEnds = new(StringComparer.Ordinal) { ".", "?", "!" };

    // Abbreviations with internal periods that stay lower-case when the source does not say otherwise.
    private static readonly HashSet<string> LowerCaseAbbreviations = new(StringComparer.Ordinal) { "a.m.", "p.m.", "e.g.", "i.e.", "etc." };

    // Words ending in s after which a lone ' opens a quote rather than marking a plural possessive (was 'famous').
    private static readonly HashSet<string> NotPossessive = new(StringComparer.Ordinal)
    {
        "is", "was", "has", "his", "this", "its", "as", "us", "yes", "does", "says", "thus", "plus", "always", "perhaps", "unless", "whereas", "besides", "across",
    };

    // Spellings used when the source does not have the word: the news agency the model was trained on writes itself CNN.
    private static readonly Dictionary<string, string> DefaultSpellings = new(StringComparer.Ordinal) { ["cnn"] = "CNN" };

    private readonly IReadOnlyDictionary<string, string> _spellings;

    private Detokenizer(IReadOnlyDictionary<string, string> spellings) => _spellings = spellings;

    /// <summary>A detokenizer that knows no source spellings: only sentence starts, <c>I</c> and initials are capitalized.</summary>
    public static Detokenizer Plain { get; } = new(new Dictionary<string, string>());

    /// <summary>
    /// Learns the source's own spelling of each word: the most frequent one among its occurrences that do not start a
    /// sentence; a word seen only at sentence starts keeps its spelling only when that spelling is not plain capitalization.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static Detokenizer FromSource(NormalizedText source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var counts = new Dictionary<string, Dictionary<string, (int Inside, int Initial, int FirstSeen)>>(StringComparer.Ordinal);
        bool sentenceStart = true;
        for (int index = 0; index < source.Words.Count; index++)
        {
            var word = source.Words[index];
            string spelling = SourceSpelling(source.Original, word);
            if (HasLetter(word.Text) && spelling.ToLowerInvariant() == word.Text)
            {
                if (!counts.TryGetValue(word.Text, out var spellings))
                {
                    counts[word.Text] = spellings = new Dictionary<string, (int, int, int)>(StringComparer.Ordinal);
                }

                var (inside, initial, firstSeen) = spellings.TryGetValue(spelling, out var seen) ? seen : (0, 0, index);
                spellings[spelling] = sentenceStart ? (inside, initial + 1, firstSeen) : (inside + 1, initial, firstSeen);
            }

            sentenceStart = UpdateSentenceStart(sentenceStart, word.Text);
        }

        var dominant = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (word, spellings) in counts)
        {
            var inside = spellings.Where(s => s.Value.Inside > 0).ToList();
            var best = inside.Count > 0
                ? inside.OrderByDescending(s => s.Value.Inside).ThenBy(s => s.Key == word ? 0 : 1).ThenBy(s => s.Value.FirstSeen).First().Key
                : spellings.OrderByDescending(s => s.Value.Initial).ThenBy(s => s.Value.FirstSeen).First().Key;
            bool onlyCapitalized = inside.Count == 0 && best == Capitalize(word);
            if (!onlyCapitalized && best != word)
            {
                dominant[word] = best;
            }
        }

        return new Detokenizer(dominant);
    }

    /// <summary>Joins <paramref name="words"/> (lower-cased PTB words) into cased natural text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="words"/> is null.</exception>
    /// <exception cref="ArgumentException">An element of <paramref name="words"/> is null.</exception>
    public DetokenizedText Detokenize(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var text = new StringBuilder();
        var spans = new (int Start, int End)[words.Count];
        bool sentenceStart = true;
        bool doubleQuoteOpen = false;
        bool singleQuoteOpen = false;
        bool glueNext = true;
        string? previous = null;
        for (int index = 0; index < words.Count; index++)
        {
            string word = words[index] ?? throw new ArgumentException($"Word {index} is null.", nameof(words));
            if (word.Length == 0)
            {
                spans[index] = (text.Length, text.Length);
                continue;
            }

            bool glue = glueNext || NoSpaceBefore.Contains(word) || IsJoinedContraction(previous, word);
            glueNext = NoSpaceAfter.Contains(word);
            if (word == "\"")
            {
                // Opening quotes attach to the next word, closing quotes to the previous one.
                glue |= doubleQuoteOpen;
                glueNext = !doubleQuoteOpen;
                doubleQuoteOpen = !doubleQuoteOpen;
            }
            else if (word == "'")
            {
                bool possessive = !singleQuoteOpen && previous is not null && previous.EndsWith('s') && !NotPossessive.Contains(previous);
                bool closing = singleQuoteOpen || possessive;
                glue |= closing;
                glueNext = !closing;
                singleQuoteOpen = !closing;
            }

            string rendered = Case(word, sentenceStart);
            if (!glue)
            {
                text.Append(' ');
            }

            spans[index] = (text.Length, text.Length + rendered.Length);
            text.Append(rendered);
            sentenceStart = UpdateSentenceStart(sentenceStart, word);
            previous = word;
        }

        return new DetokenizedText(text.ToString(), spans);
    }

    // The word as the source wrote it, its quote characters mapped as the normalizer maps them (O’Neill → O'Neill).
    private static string SourceSpelling(string original, NormalizedWord word)
    {
        var spelling = original.ToCharArray(word.Start, word.End - word.Start);
        for (int i = 0; i < spelling.Length; i++)
        {
            spelling[i] = PtbLexicon.IsApostrophe(spelling[i]) ? '\'' : PtbLexicon.IsDoubleQuote(spelling[i]) ? '"' : spelling[i];
        }

        return new string(spelling);
    }

    private string Case(string word, bool sentenceStart)
    {
        string cased = _spellings.TryGetValue(word, out var spelling) ? spelling
            : DefaultSpellings.TryGetValue(word, out var known) ? known
            : word == "i" ? "I"
            : IsInitials(word) && !LowerCaseAbbreviations.Contains(word) ? word.ToUpperInvariant()
            : word;
        return sentenceStart && HasLetter(cased) && !cased.Any(char.IsUpper) ? Capitalize(cased) : cased;
    }

    // A sentence starts at the beginning and after . ? !; quotes and brackets in between do not end the wait, a word does.
    private static bool UpdateSentenceStart(bool sentenceStart, string word) =>
        SentenceEnds.Contains(word) || (sentenceStart && !word.Any(char.IsLetterOrDigit));

    // PTB splits gonna, gotta, wanna, gimme, lemme and cannot; they are joined back only as those exact pairs.
    private static bool IsJoinedContraction(string? previous, string word) => (previous, word) switch
    {
        ("gon", "na") or ("wan", "na") or ("got", "ta") or ("gim", "me") or ("lem", "me") or ("can", "not") => true,
        _ => false,
    };

    // u.s., d.c., j. — letters each followed by a period.
    private static bool IsInitials(string word)
    {
        if (word.Length < 2 || word.Length % 2 != 0)
        {
            return false;
        }

        for (int i = 0; i < word.Length; i += 2)
        {
            if (!char.IsLetter(word[i]) || word[i + 1] != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasLetter(string word) => word.Any(char.IsLetter);

    private static string Capitalize(string word)
    {
        for (int i = 0; i < word.Length; i++)
        {
            if (char.IsLetter(word[i]))
            {
                return string.Concat(word.AsSpan(0, i), char.ToUpperInvariant(word[i]).ToString(), word.AsSpan(i + 1));
            }
        }

        return word;
    }
}
