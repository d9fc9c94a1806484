namespace Summarizer.Inference.Evaluation;

/// <summary>
/// The Porter (1980) suffix-stripping stemmer, as in the original paper (the variant rouge-score's NLTK stemmer runs in
/// ORIGINAL_ALGORITHM mode): steps 1a–5b, in each step the longest matching suffix decides, and its condition on the
/// measure m of the remaining stem either applies it or ends the step.
/// </summary>
public static class PorterStemmer
{
    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("abli", "able"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
        "ous", "ive", "ize",
    ];

    /// <summary>Stems one lower-case word; words of one or two letters are returned unchanged.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is null.</exception>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2)
        {
            return word;
        }

        string w = Step1a(word);
        w = Step1b(w);
        w = Step1c(w);
        w = ApplyLongest(w, Step2Rules, minMeasure: 1);
        w = ApplyLongest(w, Step3Rules, minMeasure: 1);
        w = Step4(w);
        w = Step5a(w);
        return Step5b(w);
    }

    private static string Step1a(string w) =>
        w.EndsWith("sses", StringComparison.Ordinal) ? w[..^2]
        : w.EndsWith("ies", StringComparison.Ordinal) ? w[..^2]
        : w.EndsWith("ss", StringComparison.Ordinal) ? w
        : w.EndsWith('s') ? w[..^1]
        : w;

    private static string Step1b(string w)
    {
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

        if (EndsWithDoubleConsonant(stem) && stem[^1] is not ('l' or 's' or 'z'))
        {
            return stem[..^1];
        }

        return Measure(stem) == 1 && EndsCvc(stem) ? stem + "e" : stem;
    }

    private static string Step1c(string w) => w.EndsWith('y') && HasVowel(w[..^1]) ? w[..^1] + "i" : w;

    private static string ApplyLongest(string w, (string Suffix, string Replacement)[] rules, int minMeasure)
    {
        int best = -1;
        for (int i = 0; i < rules.Length; i++)
        {
            if (w.EndsWith(rules[i].Suffix, StringComparison.Ordinal) && (best < 0 || rules[i].Suffix.Length > rules[best].Suffix.Length))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return w;
        }

        string stem = w[..^rules[best].Suffix.Length];
        return Measure(stem) >= minMeasure ? stem + rules[best].Replacement : w;
    }

    private static string Step4(string w)
    {
        string? longest = null;
        foreach (string suffix in Step4Suffixes)
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && (longest is null || suffix.Length > longest.Length))
            {
                longest = suffix;
            }
        }

        if (longest is null)
        {
            return w;
        }

        string stem = w[..^longest.Length];
        bool condition = Measure(stem) > 1 && (longest != "ion" || (stem.Length > 0 && stem[^1] is 's' or 't'));
        return condition ? stem : w;
    }

    private static string Step5a(string w)
    {
        if (!w.EndsWith('e'))
        {
            return w;
        }

        string stem = w[..^1];
        int m = Measure(stem);
        return m > 1 || (m == 1 && !EndsCvc(stem)) ? stem : w;
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

    // *o: consonant-vowel-consonant, the last not w, x or y (hop, fil) — so hope/file keep or regain their e.
    private static bool EndsCvc(string w) =>
        w.Length >= 3 && IsConsonant(w, w.Length - 3) && !IsConsonant(w, w.Length - 2) && IsConsonant(w, w.Length - 1)
        && w[^1] is not ('w' or 'x' or 'y');
}
