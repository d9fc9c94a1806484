using System.Collections.Frozen;

namespace Summarizer.Evaluation;

/// <summary>
/// The Porter suffix-stripping stemmer: by default exactly as NLTK 3.8's <c>PorterStemmer()</c> (NLTK_EXTENSIONS, the
/// mode rouge-score's tokenizer runs), or as the 1980 paper. Steps 1a–5b; in each step the longest matching suffix
/// decides, and its condition on the measure m of the remaining stem either applies it or ends the step.
/// </summary>
/// <remarks>
/// NLTK_EXTENSIONS differs from the paper by: a pool of irregular words looked up first (dying → die, news → news);
/// four-letter -ies/-ied → -ie (dies → die) and longer -ied → -i; step 1c's y → i only after a consonant that is not
/// the whole stem (enjoy stays, spy → spi); step 2's -alli → -al re-running step 2, -bli instead of -abli, and the added
/// -fulli → -ful and -logi → -log (the l counted in the measure); *o also holding for a two-letter vowel-consonant stem
/// (uses → use).
/// </remarks>
public static class PorterStemmer
{
    private delegate bool Condition(string word, string stem);

    private static readonly FrozenDictionary<string, string> Irregular = new Dictionary<string, string>
    {
        ["sky"] = "sky",
        ["skies"] = "sky",
        ["dying"] = "die",
        ["lying"] = "lie",
        ["tying"] = "tie",
        ["news"] = "news",
        ["innings"] = "inning",
        ["inning"] = "inning",
        ["outings"] = "outing",
        ["outing"] = "outing",
        ["cannings"] = "canning",
        ["canning"] = "canning",
        ["howe"] = "howe",
        ["proceed"] = "proceed",
        ["exceed"] = "exceed",
        ["succeed"] = "succeed",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly (string Suffix, string Replacement)[] Step2Common =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("alli", "al"),
        ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
        ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"),
        ("biliti", "ble"),
    ];

    private static readonly Condition PositiveMeasure = (_, stem) => Measure(stem) > 0;
    private static readonly Condition MeasureAboveOne = (_, stem) => Measure(stem) > 1;

    private static readonly (string Suffix, string Replacement, Condition When)[] Step2Original =
        LongestFirst([.. Step2Common.Select(r => (r.Suffix, r.Replacement, PositiveMeasure)), ("abli", "able", PositiveMeasure)]);

    // NLTK widens -abli to -bli, adds -fulli, and -logi whose measure counts the l (geologi → geolog).
    private static readonly (string Suffix, string Replacement, Condition When)[] Step2Nltk =
        LongestFirst(
        [
            .. Step2Common.Select(r => (r.Suffix, r.Replacement, PositiveMeasure)),
            ("bli", "ble", PositiveMeasure), ("fulli", "ful", PositiveMeasure),
            ("logi", "log", (word, _) => Measure(word[..^3]) > 0),
        ]);

    private static readonly (string Suffix, string Replacement, Condition When)[] Step3 =
        LongestFirst(
        [
            ("icate", "ic", PositiveMeasure), ("ative", "", PositiveMeasure), ("alize", "al", PositiveMeasure),
            ("iciti", "ic", PositiveMeasure), ("ical", "ic", PositiveMeasure), ("ful", "", PositiveMeasure),
            ("ness", "", PositiveMeasure),
        ]);

    private static readonly (string Suffix, string Replacement, Condition When)[] Step4 =
        LongestFirst(
        [
            .. new[]
            {
                "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ou", "ism", "ate", "iti",
                "ous", "ive", "ize",
            }.Select(s => (s, "", MeasureAboveOne)),
            ("ion", "", (_, stem) => Measure(stem) > 1 && stem[^1] is 's' or 't'),
        ]);

    /// <summary>Stems one lower-case word; words of one or two letters are returned unchanged.</summary>
    /// <param name="word">A lower-case word.</param>
    /// <param name="mode">The variant; NLTK's default mode unless asked otherwise, as rouge-score uses.</param>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined mode.</exception>
    public static string Stem(string word, PorterStemmerMode mode = PorterStemmerMode.NltkExtensions)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (mode is not (PorterStemmerMode.NltkExtensions or PorterStemmerMode.Original))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown Porter stemmer mode.");
        }

        bool nltk = mode == PorterStemmerMode.NltkExtensions;
        if (nltk && Irregular.TryGetValue(word, out string? irregular))
        {
            return irregular;
        }

        if (word.Length <= 2)
        {
            return word;
        }

        string w = Step1a(word, nltk);
        w = Step1b(w, nltk);
        w = Step1c(w, nltk);
        w = Step2(w, nltk);
        w = ApplyLongest(w, Step3);
        w = ApplyLongest(w, Step4);
        w = Step5a(w, nltk);
        return Step5b(w);
    }

    private static string Step1a(string w, bool nltk) =>
        nltk && w.Length == 4 && w.EndsWith("ies", StringComparison.Ordinal) ? w[..^1]
        : w.EndsWith("sses", StringComparison.Ordinal) ? w[..^2]
        : w.EndsWith("ies", StringComparison.Ordinal) ? w[..^2]
        : w.EndsWith("ss", StringComparison.Ordinal) ? w
        : w.EndsWith('s') ? w[..^1]
        : w;

    private static string Step1b(string w, bool nltk)
    {
        // NLTK: -ied becomes -ie on a four-letter word (died → die), -i otherwise (spied → spi), and the step ends.
        if (nltk && w.EndsWith("ied", StringComparison.Ordinal))
        {
            return w.Length == 4 ? w[..^1] : w[..^2];
        }

        if (w.EndsWith("eed", StringComparison.Ordinal))
        {
            return Measure(w[..^3]) > 0 ? w[..^1] : w;
        }

        string stem;
        if (w.EndsWith("ed", StringComparison.Ordinal) && HasVowel(w[..^2]))
        {
            stem = w[..^2];
        }
        else if (w.EndsWith("ing", StringComparison.Ordinal) && HasVowel(w[..^3]))
        {
            stem = w[..^3];
        }
        else
        {
            return w;
        }

        // Tidy the stem left by removing -ed/-ing: conflat(ed) → conflate, hopp(ing) → hop, fil(ing) → file.
        if (stem.EndsWith("at", StringComparison.Ordinal) || stem.EndsWith("bl", StringComparison.Ordinal) || stem.EndsWith("iz", StringComparison.Ordinal))
        {
            return stem + "e";
        }

        if (EndsWithDoubleConsonant(stem))
        {
            return stem[^1] is 'l' or 's' or 'z' ? stem : stem[..^1];
        }

        return Measure(stem) == 1 && EndsCvc(stem, nltk) ? stem + "e" : stem;
    }

    // 1980: y → i when the stem has a vowel; NLTK: when it ends in a consonant and is longer than one letter.
    private static string Step1c(string w, bool nltk)
    {
        if (!w.EndsWith('y'))
        {
            return w;
        }

        string stem = w[..^1];
        bool condition = nltk ? stem.Length > 1 && IsConsonant(stem, stem.Length - 1) : HasVowel(stem);
        return condition ? stem + "i" : w;
    }

    private static string Step2(string w, bool nltk)
    {
        // NLTK strips -alli to -al first and runs step 2 again on the result (relationalli → relational → relate).
        if (nltk && w.EndsWith("alli", StringComparison.Ordinal) && Measure(w[..^4]) > 0)
        {
            return Step2(w[..^2], nltk);
        }

        return ApplyLongest(w, nltk ? Step2Nltk : Step2Original);
    }

    private static (string Suffix, string Replacement, Condition When)[] LongestFirst(
        (string Suffix, string Replacement, Condition When)[] rules) =>
        [.. rules.OrderByDescending(r => r.Suffix.Length)];

    private static string ApplyLongest(string w, (string Suffix, string Replacement, Condition When)[] rules)
    {
        foreach ((string suffix, string replacement, Condition when) in rules)
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal))
            {
                string stem = w[..^suffix.Length];
                return when(w, stem) ? stem + replacement : w;
            }
        }

        return w;
    }

    private static string Step5a(string w, bool nltk)
    {
        if (!w.EndsWith('e'))
        {
            return w;
        }

        string stem = w[..^1];
        int m = Measure(stem);
        return m > 1 || (m == 1 && !EndsCvc(stem, nltk)) ? stem : w;
    }

    private static string Step5b(string w) =>
        Measure(w) > 1 && EndsWithDoubleConsonant(w) && w[^1] == 'l' ? w[..^1] : w;

    // y is a consonant at the start or after a vowel, a vowel after a consonant.
    private static bool IsConsonant(string w, int i) => w[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !IsConsonant(w, i - 1),
        _ => true,
    };

    // m in [C](VC)^m[V]: the number of vowel-run → consonant-run transitions.
    private static int Measure(string w)
    {
        int m = 0;
        bool previousVowel = false;
        for (int i = 0; i < w.Length; i++)
        {
            bool vowel = !IsConsonant(w, i);
            if (!vowel && previousVowel)
            {
                m++;
            }

            previousVowel = vowel;
        }

        return m;
    }

    private static bool HasVowel(string w)
    {
        for (int i = 0; i < w.Length; i++)
        {
            if (!IsConsonant(w, i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsWithDoubleConsonant(string w) =>
        w.Length >= 2 && w[^1] == w[^2] && IsConsonant(w, w.Length - 1);

    // *o: consonant-vowel-consonant, the last not w, x or y (hop, fil) — so hope/file keep or regain their e; NLTK also
    // counts a two-letter vowel-consonant stem (us → use).
    private static bool EndsCvc(string w, bool nltk) =>
        w.Length >= 3
            ? IsConsonant(w, w.Length - 3) && !IsConsonant(w, w.Length - 2) && IsConsonant(w, w.Length - 1) && w[^1] is not ('w' or 'x' or 'y')
            : nltk && w.Length == 2 && !IsConsonant(w, 0) && IsConsonant(w, 1);
}
