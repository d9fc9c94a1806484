using Summarizer.Inference.Decoding;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Decoding;

public class GroundingTests
{
    private const int Bos = 2, Eos = 3;

    // A small WordPiece vocabulary: whole words, continuations, digits and the number separators.
    private static readonly string[] Entries =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "green", "##span", "##e", "said", ".", ",", "3", "5", "47", "##99",
        "$", "depot", "1", "000", "de", "##pot", "bank", "##s", "rates", "rose", "2017", "##bn", "-", "n", "'", "t",
    ];

    private static readonly GroundingVocabulary Vocabulary = new(
        Entries.Select(e => e.StartsWith('[') ? null : e.StartsWith("##", StringComparison.Ordinal) ? e[2..] : e).ToArray(),
        Entries.Select(e => e.StartsWith("##", StringComparison.Ordinal)).ToArray(), Eos);

    private static int Id(string entry) => Array.IndexOf(Entries, entry);

    // "greenspan said the bank rose rates 3.5 $ 47 , 1,000 depot ." as ids with spans: "3.5" and "1,000" written
    // without spaces, "47 ," with one.
    private static (int[] Ids, (int, int)[] Spans) Source()
    {
        var pieces = new[] { "green", "##span", "said", "the", "bank", "rose", "rates", "3", ".", "5", "$", "47", ",", "1", ",", "000", "de", "##pot", "." };
        var glued = new[] { false, true, false, false, false, false, false, false, true, true, false, true, false, false, true, true, false, true, true };
        return (pieces.Select(Id).ToArray(), Spans(pieces, glued));
    }

    // Character spans of pieces written one after another, a space before each one not glued to the one before.
    private static (int, int)[] Spans(string[] pieces, bool[] glued)
    {
        var spans = new (int, int)[pieces.Length];
        var at = 0;
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0 && !glued[i])
                at++;
            var length = pieces[i].TrimStart('#').Length;
            spans[i] = (at, at + length);
            at += length;
        }
        return spans;
    }

    private static SourceGrounding Grounding(int maxLength = 30, int ngram = 0, int repeats = 0)
    {
        var (ids, spans) = Source();
        return new SourceGrounding(Vocabulary, ids, spans, maxLength, ngram, repeats);
    }

    private static float[] Allowed(SourceGrounding grounding, params string[] generated)
    {
        var logProbs = new float[Entries.Length];
        grounding.Ban(logProbs, generated.Select(Id).ToArray());
        return logProbs;
    }

    private static bool IsAllowed(float[] logProbs, string entry) => !float.IsNegativeInfinity(logProbs[Id(entry)]);

    [Fact]
    public void A_word_continues_only_as_the_source_spells_it()
    {
        var after = Allowed(Grounding(), "green");
        Assert.True(IsAllowed(after, "##span"));
        Assert.False(IsAllowed(after, "##e"));   // "greene" is nowhere
        Assert.False(IsAllowed(after, "##s"));   // nor "greens"
        Assert.True(IsAllowed(after, "said"));   // "green" is a whole word of the vocabulary
        Assert.True(IsAllowed(after, "[SEP]"));
        Assert.False(IsAllowed(after, "[UNK]"));
    }

    [Fact]
    public void A_piece_that_is_not_a_whole_word_must_go_on()
    {
        var after = Allowed(Grounding(), "the", "de");
        Assert.True(IsAllowed(after, "##pot"));
        // "de" is a vocabulary word here too, so it may end; a word the vocabulary lacks cannot.
        var inside = Allowed(Grounding(), "the", "de", "##pot");
        Assert.True(IsAllowed(inside, "rose"));
    }

    [Fact]
    public void Numbers_are_only_the_ones_the_source_states()
    {
        var start = Allowed(Grounding(), "the");
        Assert.True(IsAllowed(start, "3"));
        Assert.True(IsAllowed(start, "47"));
        Assert.True(IsAllowed(start, "1"));
        Assert.False(IsAllowed(start, "5"));     // only ever "3.5": never alone
        Assert.False(IsAllowed(start, "2017"));  // a vocabulary number the source never states
        Assert.False(IsAllowed(start, "000"));

        var three = Allowed(Grounding(), "the", "3");
        Assert.True(IsAllowed(three, "."));
        Assert.False(IsAllowed(three, "rose"));  // "3" alone is not stated either
        Assert.False(IsAllowed(three, "[SEP]"));
        var threePoint = Allowed(Grounding(), "the", "3", ".");
        Assert.True(IsAllowed(threePoint, "5"));
        Assert.False(IsAllowed(threePoint, "rose"));

        var fortySeven = Allowed(Grounding(), "the", "47");
        Assert.False(IsAllowed(fortySeven, "##99")); // "4799" is composed
        Assert.False(IsAllowed(fortySeven, "##bn"));
        Assert.True(IsAllowed(fortySeven, "rose"));
        var fortySevenComma = Allowed(Grounding(), "the", "47", ",");
        Assert.False(IsAllowed(fortySevenComma, "000")); // the source wrote "47 ," with a space: not "47,000"
        Assert.False(IsAllowed(fortySevenComma, "1"));   // "47, 1,000" would print as "47,1,000"
        Assert.True(IsAllowed(fortySevenComma, "the"));  // the comma was punctuation
        var threePointFive = Allowed(Grounding(), "the", "3", ".", "5", ".");
        Assert.False(IsAllowed(threePointFive, "47"));   // "3.5. 47" would print as "3.5.47"
        Assert.True(IsAllowed(Allowed(Grounding(), "the", "3", ".", "5", ".", "the"), "47"));

        var thousand = Allowed(Grounding(), "1", ",");
        Assert.True(IsAllowed(thousand, "000"));
        Assert.False(IsAllowed(thousand, "the"));
    }

    [Fact]
    public void Compounds_are_the_source_s_and_a_hyphen_that_starts_one_goes_on_as_written()
    {
        // "the bank-rates rose" with "bank-rates" written as one unit; "de" has no compound.
        var pieces = new[] { "the", "bank", "-", "rates", "rose", "3", "-", "5", "said" };
        var spans = Spans(pieces, [false, false, true, true, false, false, true, true, false]);
        var g = new SourceGrounding(Vocabulary, pieces.Select(Id).ToArray(), spans, 30, 0, 0);

        var hyphen = Allowed(g, "the", "bank", "-");
        Assert.True(IsAllowed(hyphen, "rates"));
        Assert.False(IsAllowed(hyphen, "rose"));   // "bank-rose" is composed
        Assert.False(IsAllowed(hyphen, "[SEP]"));
        Assert.True(IsAllowed(Allowed(g, "the", "bank"), "rose")); // "bank" alone is still a word
        var score = Allowed(g, "the", "3", "-");
        Assert.True(IsAllowed(score, "5"));
        Assert.False(IsAllowed(score, "47"));
        Assert.False(IsAllowed(Allowed(g, "the", "3"), "said")); // "3" alone is never stated: only "3-5"
        Assert.False(IsAllowed(Allowed(g, "the"), "-"));          // a hyphen comes only inside the source's compounds

        // CNN's PTB text spaces its hyphens ("bank - rates"); the output glues them, so they are compounds all the same.
        var spaced = spans.Select((x, i) => (x.Item1 + i, x.Item2 + i)).ToArray();
        var ptb = new SourceGrounding(Vocabulary, pieces.Select(Id).ToArray(), spaced, 30, 0, 0);
        Assert.True(IsAllowed(Allowed(ptb, "the", "bank", "-"), "rates"));
        Assert.False(IsAllowed(Allowed(ptb, "the", "bank", "-"), "rose"));
    }

    [Fact]
    public void No_word_twice_in_a_row_but_after_punctuation_it_may_return()
    {
        var after = Allowed(Grounding(), "the", "bank");
        Assert.False(IsAllowed(after, "bank"));
        var again = Allowed(Grounding(), "the", "bank", ".");
        Assert.True(IsAllowed(again, "bank"));

        // A word of several pieces: "depot depot" is refused at its last piece, "de" may still start "depot" once more.
        var depot = Allowed(Grounding(), "de", "##pot", "de");
        Assert.False(IsAllowed(depot, "##pot"));
    }

    [Fact]
    public void Nt_goes_only_after_a_word_the_source_contracts()
    {
        // "the bank said n't" in PTB form: "said" takes "n't", "rose" does not ("rosen't").
        var pieces = new[] { "the", "bank", "said", "n", "'", "t", "rose" };
        var g = new SourceGrounding(Vocabulary, pieces.Select(Id).ToArray(), Spans(pieces, [false, false, false, false, true, true, false]), 30, 0, 0);
        Assert.True(IsAllowed(Allowed(g, "bank", "said", "n"), "'"));
        Assert.False(IsAllowed(Allowed(g, "bank", "rose", "n"), "'"));
    }

    [Fact]
    public void No_punctuation_mark_twice_in_a_row()
    {
        var after = Allowed(Grounding(), "the", "bank", ".");
        Assert.False(IsAllowed(after, "."));
        Assert.True(IsAllowed(after, ","));
        Assert.True(IsAllowed(after, "the"));
    }

    [Fact]
    public void Word_ngrams_do_not_repeat()
    {
        var g = Grounding(ngram: 2);
        var after = Allowed(g, "the", "bank", "rose", ".", "the");
        Assert.False(IsAllowed(after, "bank"));  // "the bank" again
        Assert.True(IsAllowed(after, "rates"));
        var plain = Allowed(Grounding(ngram: 0), "the", "bank", "rose", ".", "the");
        Assert.True(IsAllowed(plain, "bank"));
    }

    [Fact]
    public void A_content_word_is_written_at_most_max_word_repeats_times()
    {
        var g = Grounding(repeats: 2);
        var after = Allowed(g, "bank", "rose", ".", "bank", "said", ".");
        Assert.False(IsAllowed(after, "bank"));
        Assert.True(IsAllowed(after, "rates"));
        var stopwords = Allowed(g, "the", "bank", ".", "the", "rates", ".");
        Assert.True(IsAllowed(stopwords, "the")); // "the" is no content word
    }

    // "the bank - rates rose . the bank said" (PTB spaces its hyphens): "bank-rates" is a compound unit of the source.
    private static SourceGrounding CompoundGrounding(int repeats)
    {
        var pieces = new[] { "the", "bank", "-", "rates", "rose", ".", "the", "bank", "said" };
        var glued = new[] { false, false, false, false, false, false, false, false, false };
        return new SourceGrounding(Vocabulary, pieces.Select(Id).ToArray(), Spans(pieces, glued), 30, 0, repeats);
    }

    [Fact]
    public void The_repeat_limit_counts_the_parts_of_compounds_as_a_reader_does()
    {
        // "bank-rates" then "bank": "bank" twice, so neither "bank" nor the compound again.
        var g = CompoundGrounding(repeats: 2);
        var afterBoth = Allowed(g, "bank", "-", "rates", ".", "the", "bank", "said", ".");
        Assert.False(IsAllowed(afterBoth, "bank"));
        Assert.True(IsAllowed(afterBoth, "rates")); // once so far
        // "rates" twice: "bank" may start a word, but it may not go on to "bank-rates".
        var afterRates = Allowed(g, "rates", "rose", ".", "the", "rates", "said", ".", "the", "bank");
        Assert.False(IsAllowed(afterRates, "-"));
        Assert.True(IsAllowed(afterRates, "said"));
        Assert.True(IsAllowed(Allowed(CompoundGrounding(repeats: 3), "rates", "rose", ".", "the", "rates", "said", ".", "the", "bank"), "-"));
    }

    [Fact]
    public void A_compound_that_writes_a_part_twice_counts_it_twice()
    {
        // "the bank - rates - bank said": the unit "bank-rates-bank" writes "bank" twice ("face-to-face").
        var pieces = new[] { "the", "bank", "-", "rates", "-", "bank", "said" };
        var glued = new bool[pieces.Length];
        SourceGrounding Grounding(int repeats) => new(Vocabulary, pieces.Select(Id).ToArray(), Spans(pieces, glued), 30, 0, repeats);

        Assert.True(IsAllowed(Allowed(Grounding(repeats: 2), "the", "bank"), "-"));                // twice in all
        Assert.False(IsAllowed(Allowed(Grounding(repeats: 2), "bank", ".", "the", "bank"), "-"));  // three times
        Assert.True(IsAllowed(Allowed(Grounding(repeats: 3), "bank", ".", "the", "bank"), "-"));
        Assert.False(IsAllowed(Allowed(Grounding(repeats: 1), "the", "bank"), "-"));               // over the limit by itself
        Assert.True(IsAllowed(Allowed(Grounding(repeats: 1), "the", "bank"), "said"));
    }

    [Fact]
    public void The_phrase_bonus_favours_what_follows_the_previous_piece_in_the_source()
    {
        var (ids, spans) = Source();
        var g = new SourceGrounding(Vocabulary, ids, spans, 30, 0, 0) { PhraseBonus = 3f };
        var logProbs = new float[Entries.Length];
        g.Ban(logProbs, new[] { Id("the") });
        Assert.Equal(3f, logProbs[Id("bank")]);  // "the bank" is the source's
        Assert.Equal(0f, logProbs[Id("rates")]); // "the rates" is not
        Assert.True(float.IsNegativeInfinity(logProbs[Id("##e")])); // a bonus never lifts a ban

        var plain = Allowed(Grounding(), "the");
        Assert.Equal(0f, plain[Id("bank")]);
    }

    [Fact]
    public void Banning_allocates_nothing()
    {
        var g = Grounding(ngram: 3, repeats: 2);
        var history = new[] { "the", "bank", "rose", "rates", "3", ".", "5", ".", "green", "##span", "said" }.Select(Id).ToArray();
        var logProbs = new float[Entries.Length];
        g.Ban(logProbs, history);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            g.Ban(logProbs, history);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public static IEnumerable<object[]> Searches() =>
        from beams in new[] { 1, 4 } from seed in Enumerable.Range(0, 25) select new object[] { beams, seed };

    [Theory]
    [MemberData(nameof(Searches))]
    public void A_model_that_prefers_anything_gets_only_grounded_words_through(int beams, int seed)
    {
        // A random step model over the whole vocabulary prefers invented words and numbers as often as real ones.
        var options = new DecodingOptions { NumBeams = beams, MaxLength = 30, MinLength = 20, Grounded = true, NoRepeatWordNgramSize = 2, MaxWordRepeats = 2, LengthPenalty = 1f };
        var (ids, _) = Source();
        var model = new FakeStepModel(Entries.Length, beams, seed, sharpness: 4f);
        var grounding = Grounding(options.MaxLength, options.NoRepeatWordNgramSize, options.MaxWordRepeats);
        var run = beams == 1
            ? GreedySearch.Run(model, options, Bos, Eos, grounding: grounding)
            : BeamSearch.Run(model, options, Bos, Eos, grounding: grounding);

        Assert.True(run.Tokens.Length >= options.MinLength, $"only {run.Tokens.Length} tokens: {string.Join(" ", run.Tokens.Select(t => Entries[t]))}");
        string[] sourceNumbers = ["3.5", "47", "1,000"];
        var sourceWords = Words(ids).Select(w => string.Join(' ', w)).ToHashSet();
        var units = Units(Words(run.Tokens), sourceNumbers);
        foreach (var unit in units)
        {
            if (char.IsAsciiDigit(unit[0]))
                Assert.Contains(unit, sourceNumbers);
            else
                Assert.True(!unit.Contains(' ') || sourceWords.Contains(unit), $"'{unit}' is not grounded");
        }
        for (var i = 1; i < units.Count; i++)
            Assert.False(units[i] == units[i - 1] && char.IsLetterOrDigit(units[i][0]), $"'{units[i]}' twice in a row");
        var alphanumeric = units.Where(u => char.IsLetterOrDigit(u[0])).ToList();
        var bigrams = alphanumeric.Zip(alphanumeric.Skip(1), (a, b) => a + " | " + b).ToList();
        Assert.Equal(bigrams.Count, bigrams.Distinct().Count());
        foreach (var group in alphanumeric.Where(w => !Inference.Text.EnglishStopwords.Contains(w)).GroupBy(w => w))
            Assert.True(group.Count() <= 2, $"'{group.Key}' {group.Count()} times");
    }

    // Words and numbers as the reader sees them: a digit word takes "separator, digit word" pairs while the source has
    // a number going on that way (pieces carry no spaces); other words are their pieces joined by spaces.
    private static List<string> Units(List<string[]> words, string[] numbers)
    {
        var units = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = string.Concat(words[i].Select(p => p.TrimStart('#')));
            if (!char.IsAsciiDigit(word[0]))
            {
                units.Add(string.Join(' ', words[i]));
                continue;
            }
            while (i + 2 < words.Count && words[i + 1][0] is "." or "," && char.IsAsciiDigit(words[i + 2][0][0])
                && word + words[i + 1][0] + string.Concat(words[i + 2].Select(p => p.TrimStart('#'))) is var longer
                && numbers.Any(n => n.StartsWith(longer, StringComparison.Ordinal)))
            {
                word = longer;
                i += 2;
            }
            units.Add(word);
        }
        return units;
    }

    [Fact]
    public void Without_grounding_the_same_model_invents()
    {
        // The check above could fail: the ungrounded search of the same models writes what grounding refuses.
        var invented = 0;
        for (var seed = 0; seed < 25; seed++)
        {
            var options = new DecodingOptions { NumBeams = 1, MaxLength = 30, MinLength = 20, LengthPenalty = 1f };
            var run = GreedySearch.Run(new FakeStepModel(Entries.Length, 1, seed, sharpness: 4f), options, Bos, Eos);
            if (Words(run.Tokens).Any(w => w.Length > 1 && string.Join(' ', w) is not ("green ##span" or "de ##pot")))
                invented++;
        }
        Assert.True(invented > 5, $"{invented}");
    }

    // Words as piece lists: a ## piece joins the word before it; special ids belong to none.
    private static List<string[]> Words(IEnumerable<int> ids)
    {
        var words = new List<List<string>>();
        foreach (var id in ids)
        {
            var entry = Entries[id];
            if (entry.StartsWith('['))
                continue;
            if (entry.StartsWith("##", StringComparison.Ordinal) && words.Count > 0)
                words[^1].Add(entry);
            else
                words.Add([entry]);
        }
        return words.Select(w => w.ToArray()).ToList();
    }
}
