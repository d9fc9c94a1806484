using Summarizer.Inference.Tokenization;

namespace Summarizer.Inference.Text;

/// <summary>
/// Puts BERT's basic words back together into PTB words (docs/DESIGN.md "Output text"): WordPiece splits every punctuation
/// mark off, so the model writes <c>u . s .</c>, <c>12 , 000</c>, <c>n ' t</c> where the text form has <c>u.s.</c>,
/// <c>12,000</c>, <c>n't</c>. Two consecutive basic words are joined when the source has the same two adjacent without a
/// space (inside one of its normalized words); pairs the source has only with a space between stay apart; pairs the source
/// does not have at all are joined in the PTB forms the data always writes as one word: <c>n't</c>, <c>'</c> + s/m/d/re/ve/ll,
/// digits + <c>,</c> or <c>.</c> + digits, and initials (letter <c>.</c> letter <c>.</c>). Immutable and thread-safe.
/// </summary>
public sealed class PtbWordJoiner
{
    private static readonly HashSet<string> Clitics = new(StringComparer.Ordinal) { "s", "m", "d", "re", "ve", "ll" };

    private readonly HashSet<(string, string)> _joined;
    private readonly HashSet<(string, string)> _spaced;

    private PtbWordJoiner(HashSet<(string, string)> joined, HashSet<(string, string)> spaced)
    {
        _joined = joined;
        _spaced = spaced;
    }

    /// <summary>A joiner without source evidence: only the default PTB forms are joined.</summary>
    public static PtbWordJoiner Plain { get; } = new([], []);

    /// <summary>
    /// Learns from <paramref name="source"/> which basic-word pairs it writes without a space (the basic words of one
    /// normalized word) and which only with one (the last basic word of a normalized word and the first of the next).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public static PtbWordJoiner FromSource(NormalizedText source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var joined = new HashSet<(string, string)>();
        var spaced = new HashSet<(string, string)>();
        string? previous = null;
        foreach (var word in source.Words)
        {
            var basics = BertPreTokenizer.Split(word.Text);
            if (basics.Count == 0)
                continue;
            if (previous is not null)
                spaced.Add((previous, basics[0].Text));
            for (var k = 1; k < basics.Count; k++)
                joined.Add((basics[k - 1].Text, basics[k].Text));
            previous = basics[^1].Text;
        }
        spaced.ExceptWith(joined); // evidence of both kinds: the source does write them together
        return new PtbWordJoiner(joined, spaced);
    }

    /// <summary>
    /// For each basic word, whether it is written straight after the previous one (no space); element 0 is false.
    /// </summary>
    /// <param name="words">Basic words (WordPiece pieces merged, special tokens left out), lower-cased as the model writes them.</param>
    /// <param name="complete">False while words are still being generated (streaming): a form that the next word could still
    /// complete counts as complete.</param>
    /// <exception cref="ArgumentNullException"><paramref name="words"/> is null.</exception>
    public bool[] Join(IReadOnlyList<string> words, bool complete = true)
    {
        ArgumentNullException.ThrowIfNull(words);
        var join = new bool[words.Count];
        for (var i = 1; i < words.Count; i++)
            join[i] = Joins(words, i, complete);
        return join;
    }

    /// <summary>
    /// The PTB words <paramref name="words"/> make once joined, and for each basic word the index of the PTB word it is part of.
    /// </summary>
    public (List<string> Words, int[] WordOf) ToPtbWords(IReadOnlyList<string> words)
    {
        var join = Join(words);
        var ptb = new List<string>();
        var wordOf = new int[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            if (join[i])
                ptb[^1] += words[i];
            else
                ptb.Add(words[i]);
            wordOf[i] = ptb.Count - 1;
        }
        return (ptb, wordOf);
    }

    // Whether words[i] joins words[i − 1].
    private bool Joins(IReadOnlyList<string> words, int i, bool complete)
    {
        var pair = (words[i - 1], words[i]);
        if (_joined.Contains(pair))
            return true;
        if (_spaced.Contains(pair))
            return false;

        // A word past the end matches any pattern while the text is incomplete, none once it is complete.
        bool At(int k, Func<string, bool> test) => k < 0 ? false : k < words.Count ? test(words[k]) : !complete;
        bool Is(string expected, int k) => At(k, w => w == expected);
        static bool Digits(string w) => w.Length > 0 && w.All(char.IsAsciiDigit);
        static bool Point(string w) => w is "," or ".";
        static bool Letter(string w) => w.Length == 1 && char.IsLetter(w[0]);

        // n ' t
        if ((Is("n", i - 1) && Is("'", i) && Is("t", i + 1)) || (Is("n", i - 2) && Is("'", i - 1) && Is("t", i)))
            return true;
        // ' s, ' m, ' d, ' re, ' ve, ' ll
        if (Is("'", i - 1) && Clitics.Contains(words[i]))
            return true;
        // 12 , 000 and 3 . 5
        if ((At(i - 1, Digits) && At(i, Point) && At(i + 1, Digits)) || (At(i - 2, Digits) && At(i - 1, Point) && At(i, Digits)))
            return true;
        // u . s . : a letter-point-letter-point window that holds both words
        for (var k = i - 3; k <= i - 1; k++)
            if (At(k, Letter) && Is(".", k + 1) && At(k + 2, Letter) && Is(".", k + 3))
                return true;
        return false;
    }
}
