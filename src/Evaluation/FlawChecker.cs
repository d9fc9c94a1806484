using System.Text.RegularExpressions;
using Summarizer.Inference.Text;

namespace Summarizer.Evaluation;

/// <summary>
/// What a reader would catch in a summary, checked against its source article. Words are <see cref="FlawText"/>'s
/// (lower-case, diacritics folded, maximal runs of Unicode letters or digits).
/// <list type="bullet">
/// <item><b>Invented word</b>: a word with a letter and no digit that is neither a source word nor in the English list,
/// not even by Porter stem (<see cref="PorterStemmer"/> in NLTK's mode, as ROUGE uses): a word whose stem is the stem of a
/// source or English word is fine ("reports" when the source has "report"). Also a hyphenated compound without a digit
/// that the source never writes ("korb-prowse" from "julian korb" and "ward-prowse"; PTB's spaced "ward - prowse" is the
/// same compound), even when each part is a word ("long-term" too: the list holds no compounds).</item>
/// <item><b>Unstated number</b>: a match of <c>\d+(?:[.,:]\d+)*</c> in the lower-cased summary that is not one in the
/// source, thousands separators aside ("1,000" is stated by "1000"; "4799" is not by "47"); also a hyphenated compound
/// with a digit that the source never writes (a score "4-0", an age "29-year-old").</item>
/// <item><b>Stutter</b>: the same word twice in a row, counting punctuation marks as tokens ("depot depot" stutters,
/// "said. said" does not).</item>
/// <item><b>Repeated content word</b>: a word with a letter, not one of NLTK's English stopwords (<see cref="WordParts.IsContent"/>, shared with the decoder's repeat limit), written 3 or more times.</item>
/// </list>
/// The English list and its stems are built once; a check costs time in proportion to the two texts. Thread-safe.
/// </summary>
public sealed class FlawChecker
{
    private const int RepeatThreshold = 3;

    private static readonly Regex Number = new(@"\d+(?:[.,:]\d+)*", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // Hyphenated compounds ("ward-prowse", "3-2"), hyphens with spaces around them closed up first: PTB writes "ward - prowse"
    // and, now and then, "4 -4-2".
    private static readonly Regex Compound = new(@"[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    private static readonly Regex SpacedHyphen = new(@"(?<=[\p{L}\p{N}]) *- *(?=[\p{L}\p{N}])", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private readonly HashSet<string> _englishWords;
    private readonly HashSet<string> _englishStems;

    /// <summary>A checker whose English list is <paramref name="englishWords"/> (folded like summary words).</summary>
    /// <param name="englishWords">Known words, e.g. <see cref="EnglishWordList.FromVocabulary(Summarizer.Inference.EncoderReference)"/> plus <see cref="EnglishWordList.ReadFile"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="englishWords"/> or one of its words is null.</exception>
    public FlawChecker(IEnumerable<string> englishWords)
    {
        ArgumentNullException.ThrowIfNull(englishWords);
        _englishWords = englishWords.Select(FlawText.Fold).ToHashSet(StringComparer.Ordinal);
        _englishStems = _englishWords.Select(w => PorterStemmer.Stem(w)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Distinct words in the English list.</summary>
    public int EnglishWordCount => _englishWords.Count;

    /// <summary>The flaws of <paramref name="summary"/> as a summary of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentNullException">Either text is null.</exception>
    public SummaryFlaws Check(string summary, string source)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(source);
        var words = FlawText.Words(summary);
        // A compound the source never writes is invented as a whole ("korb-prowse"), or an unstated number when it has a digit ("4-0").
        var compounds = InventedCompounds(summary, source);
        var invented = InventedWords(words, source);
        invented.AddRange(compounds.Where(c => !FlawText.HasDigit(c) && !invented.Contains(c)));
        var unstated = UnstatedNumbers(summary, source);
        unstated.AddRange(compounds.Where(c => FlawText.HasDigit(c) && !unstated.Contains(c)));
        return new SummaryFlaws(invented, unstated, Stutters(summary), RepeatedContentWords(words));
    }

    private List<string> InventedWords(List<string> words, string source)
    {
        var sourceWords = FlawText.Words(source).ToHashSet(StringComparer.Ordinal);
        HashSet<string>? sourceStems = null;
        var invented = new List<string>();
        foreach (string word in words)
        {
            if (!FlawText.HasLetter(word) || FlawText.HasDigit(word) || _englishWords.Contains(word) || sourceWords.Contains(word))
            {
                continue;
            }

            // Stemming the source only when a word is not found as written: most summaries never need it.
            sourceStems ??= sourceWords.Select(w => PorterStemmer.Stem(w)).ToHashSet(StringComparer.Ordinal);
            string stem = PorterStemmer.Stem(word);
            if (!_englishStems.Contains(stem) && !sourceStems.Contains(stem) && !invented.Contains(word))
            {
                invented.Add(word);
            }
        }

        return invented;
    }

    private static List<string> UnstatedNumbers(string summary, string source)
    {
        var stated = Numbers(source).Select(WithoutSeparators).ToHashSet(StringComparer.Ordinal);
        return Numbers(summary).Where(n => !stated.Contains(WithoutSeparators(n))).Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<string> InventedCompounds(string summary, string source)
    {
        var written = Compounds(source).ToHashSet(StringComparer.Ordinal);
        return Compounds(summary).Where(c => !written.Contains(c)).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Compounds(string text) =>
        Compound.Matches(SpacedHyphen.Replace(FlawText.Fold(text), "-")).Select(m => m.Value);

    private static IEnumerable<string> Numbers(string text) => Number.Matches(text.ToLowerInvariant()).Select(m => m.Value);

    private static string WithoutSeparators(string number) => number.Replace(",", "", StringComparison.Ordinal);

    private static List<string> Stutters(string summary)
    {
        var tokens = FlawText.Tokens(summary);
        var stutters = new List<string>();
        for (int i = 1; i < tokens.Count; i++)
        {
            if (tokens[i] == tokens[i - 1] && tokens[i].Any(char.IsLetterOrDigit) && !stutters.Contains(tokens[i]))
            {
                stutters.Add(tokens[i]);
            }
        }

        return stutters;
    }

    private static List<string> RepeatedContentWords(List<string> words) =>
        words.Where(WordParts.IsContent)
            .GroupBy(w => w, StringComparer.Ordinal)
            .Where(g => g.Count() >= RepeatThreshold)
            .Select(g => g.Key)
            .ToList();
}
