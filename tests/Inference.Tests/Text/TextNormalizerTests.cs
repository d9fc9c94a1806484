using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tests.Text;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("\"It's the U.S. Treasury,\" he said.", "\" it 's the u.s. treasury , \" he said .")]
    [InlineData("(CNN) -- The 35-year-old co-pilot can't fly.", "( cnn ) -- the 35 - year - old co-pilot ca n't fly .")]
    [InlineData("She paid $5 for 50% of it... What? No way!", "she paid $ 5 for 50 % of it ... what ? no way !")]
    [InlineData("I don't know; we're sure they'll say I'd've... maybe.", "i do n't know ; we 're sure they 'll say i 'd 've ... maybe .")]
    [InlineData("He's gonna win, I cannot go and I wanna stay.", "he 's gon na win , i can not go and i wan na stay .")]
    [InlineData("Mr. Smith met Dr. Jones at 10:30 a.m. on Jan. 5 in Washington, D.C.", "mr. smith met dr. jones at 10:30 a.m. on jan. 5 in washington , d.c.")]
    [InlineData("It was No. 1 of 10,000 entries, worth 3.5 billion.", "it was no. 1 of 10,000 entries , worth 3.5 billion .")]
    [InlineData("Say no. Then leave.", "say no . then leave .")]
    [InlineData("The stones' tour was 'based on nothing', J. R. Smith said.", "the stones ' tour was ' based on nothing ' , j. r. smith said .")]
    [InlineData("Pre-election anti-ISIS whack-a-mole; a well-known self-defense case.", "pre-election anti-isis whack - a-mole ; a well - known self - defense case .")]
    [InlineData("Visit www.cnn.com/news or e-mail tips@cnn.com [sic] {ok}", "visit www.cnn.com/news or e-mail tips@cnn.com [ sic ] { ok }")]
    [InlineData("O'Reilly's dogs (three) won't bark?!", "o'reilly 's dogs ( three ) wo n't bark ?!")]
    [InlineData("``Quoted'' text", "\" quoted \" text")]
    [InlineData("Prices rose \u2014 sharply \u2013 in 2014\u20132015.", "prices rose \u2014 sharply \u2013 in 2014 \u2013 2015 .")]
    public void Normalizes_like_cnndm(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input).Text);
    }

    [Fact]
    public void Curly_quotes_map_to_ascii_and_keep_their_spans()
    {
        const string input = "\u201CDon\u2019t,\u201D she said \u2018softly\u2019.";
        var normalized = TextNormalizer.Normalize(input);

        Assert.Equal("\" do n't , \" she said ' softly ' .", normalized.Text);
        AssertWord(normalized, 0, "\"", "\u201C");
        AssertWord(normalized, 1, "do", "Do");
        AssertWord(normalized, 2, "n't", "n\u2019t");
        AssertWord(normalized, 4, "\"", "\u201D");
        AssertWord(normalized, 7, "'", "\u2018");
        AssertWord(normalized, 9, "'", "\u2019");
    }

    [Fact]
    public void Clitic_spans_point_inside_the_original_word()
    {
        var normalized = TextNormalizer.Normalize("don't it's");

        Assert.Equal(
            [new NormalizedWord("do", 0, 2, 0), new NormalizedWord("n't", 2, 5, 3), new NormalizedWord("it", 6, 8, 7), new NormalizedWord("'s", 8, 10, 10)],
            normalized.Words);
    }

    [Fact]
    public void Crlf_tabs_and_nbsp_separate_words()
    {
        const string input = "One\r\ntwo\tthree\u00A0four\u2003five\u200Bsix";
        var normalized = TextNormalizer.Normalize(input);

        Assert.Equal("one two three four five six", normalized.Text);
        Assert.Equal([0, 5, 9, 15, 20, 25], normalized.Words.Select(w => w.Start));
        Assert.All(normalized.Words, w => Assert.Equal(w.Text, input[w.Start..w.End].ToLowerInvariant()));
    }

    [Fact]
    public void Emoji_stand_alone_and_surrogate_pairs_are_never_split()
    {
        const string input = "Great\U0001F600 day \U0001F44D\U0001F3FD \U0001F1FA\U0001F1F8\U0001F1EC\U0001F1E7 \U0001F468\u200D\U0001F469\u200D\U0001F467!";
        var normalized = TextNormalizer.Normalize(input);

        Assert.Equal(
            ["great", "\U0001F600", "day", "\U0001F44D\U0001F3FD", "\U0001F1FA\U0001F1F8", "\U0001F1EC\U0001F1E7", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "!"],
            normalized.Words.Select(w => w.Text));
        Assert.All(normalized.Words, w =>
        {
            Assert.False(char.IsLowSurrogate(input[w.Start]), "a span starts inside a surrogate pair");
            Assert.False(char.IsHighSurrogate(input[w.End - 1]), "a span ends inside a surrogate pair");
            Assert.Equal(w.Text, input[w.Start..w.End].ToLowerInvariant());
        });
    }

    [Fact]
    public void Non_latin_letters_and_accents_stay_in_words()
    {
        var normalized = TextNormalizer.Normalize("Caf\u00E9 Z\u00FCrich \u041C\u043E\u0441\u043A\u0432\u0430 \u6771\u4EAC e\u0301t\u00E9 \U0001D400bc");

        Assert.Equal("caf\u00E9 z\u00FCrich \u043C\u043E\u0441\u043A\u0432\u0430 \u6771\u4EAC e\u0301t\u00E9 \U0001D400bc", normalized.Text);
    }

    [Fact]
    public void Text_offsets_index_the_normalized_text()
    {
        var normalized = TextNormalizer.Normalize("\u201CHello,\u201D   World\u2019s  end\u2026 (CNN)");

        foreach (var word in normalized.Words)
        {
            Assert.Equal(word.Text, normalized.Text.Substring(word.TextOffset, word.Text.Length));
        }

        Assert.Equal(string.Join(' ', normalized.Words.Select(w => w.Text)), normalized.Text);
    }

    [Fact]
    public void Invisible_formatting_characters_are_dropped_inside_words()
    {
        // A soft hyphen and a left-to-right mark: not in the word's text, but inside its span.
        const string input = "co\u00ADoperate \u200Etoday";
        var normalized = TextNormalizer.Normalize(input);

        Assert.Equal([new NormalizedWord("cooperate", 0, 10, 0), new NormalizedWord("today", 12, 17, 10)], normalized.Words);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\t ")]
    [InlineData("\u00AD\u200B")]
    public void Blank_input_gives_no_words(string input)
    {
        var normalized = TextNormalizer.Normalize(input);

        Assert.Empty(normalized.Words);
        Assert.Equal("", normalized.Text);
        Assert.Same(input, normalized.Original);
    }

    [Fact]
    public void Null_input_is_rejected()
    {
        Assert.Throws<ArgumentNullException>("input", () => TextNormalizer.Normalize(null!));
    }

    [Theory]
    [InlineData("new delhi ( cnn ) in an unusual public raid in india , thousands stormed a jail , authorities said friday .")]
    [InlineData("the 35 - year - old suspect , who was described as an illegal immigrant , died , said l.l. doungal , a police official .")]
    [InlineData("\" there were thousands of them . many of them were students in uniform , \" doungal said .")]
    [InlineData("police initially used teargas to rescue the man , but it did n't work , he said .")]
    [InlineData("filmmaker : india 's ban on documentary is ' based on nothing ' cnn 's faith karimi contributed to this report .")]
    [InlineData("the u.s. - led coalition spent $ 1.5 billion -- 20 % more -- at 10:30 p.m. on 9/11 ... i 'm sure we 're gon na see it .")]
    [InlineData("the co-pilot of germanwings flight 9525 , andreas lubitz , was n't fit ; st. louis ' mayor said no. 1 was dr. who .")]
    [InlineData("the adams ' success at the semi-final was \" whack - a-mole , \" the ex-wife said ! can not stop #likeagirl q&a ?")]
    public void Is_idempotent_on_cnndm_text(string cnndm)
    {
        Assert.Equal(cnndm, TextNormalizer.Normalize(cnndm).Text);
    }

    [Theory]
    [InlineData("\"It's the U.S. Treasury,\" he said.", "\" it 's the u.s. treasury , \" he said .")]
    [InlineData("New Delhi (CNN) In an unusual public raid in India, thousands stormed a jail, authorities said Friday.",
        "new delhi ( cnn ) in an unusual public raid in india , thousands stormed a jail , authorities said friday .")]
    [InlineData("The 35-year-old suspect died, said L.L. Doungal, a police official.",
        "the 35 - year - old suspect died , said l.l. doungal , a police official .")]
    [InlineData("\u201CThere were thousands of them. Many of them were students in uniform,\u201D Doungal said.",
        "\" there were thousands of them . many of them were students in uniform , \" doungal said .")]
    [InlineData("Police initially used teargas to rescue the man, but it didn't work, he said.",
        "police initially used teargas to rescue the man , but it did n't work , he said .")]
    [InlineData("Filmmaker: India's ban on documentary is 'based on nothing'",
        "filmmaker : india 's ban on documentary is ' based on nothing '")]
    [InlineData("The U.S.-led coalition spent $1.5 billion -- 20% more -- at 10:30 p.m. I'm sure we're gonna see it.",
        "the u.s. - led coalition spent $ 1.5 billion -- 20 % more -- at 10:30 p.m. i 'm sure we 're gon na see it .")]
    public void Recovers_cnndm_text_from_natural_prose(string prose, string cnndm)
    {
        Assert.Equal(cnndm, TextNormalizer.Normalize(prose).Text);
    }

    [Fact]
    public void Random_strings_give_ordered_spans_inside_the_input_and_are_idempotent()
    {
        var random = new Random(1234);
        const string alphabet = "aZ09 .,;:?!'\"()[]{}-$%&/@#\r\n\t\u00A0\u2019\u2018\u201C\u201D\u2014\u2026\u00AD\u200B`\u00E9";
        string[] extras = ["\U0001F600", "\U0001F1EC", "\uFE0F", "\u0301", "\U0001F3FD", "\u200D", "\U0001F1FA", "\uD83D", "\uDE00", "n't", "'s", "u.s.", "mr.", "cannot", "co-", "..."];
        for (int trial = 0; trial < 5000; trial++)
        {
            var builder = new System.Text.StringBuilder();
            int length = random.Next(0, 40);
            for (int i = 0; i < length; i++)
            {
                builder.Append(random.Next(6) == 0 ? extras[random.Next(extras.Length)] : alphabet[random.Next(alphabet.Length)].ToString());
            }

            string input = builder.ToString();
            var normalized = TextNormalizer.Normalize(input);

            int previousEnd = 0;
            foreach (var word in normalized.Words)
            {
                Assert.True(word.Start >= previousEnd && word.End > word.Start && word.End <= input.Length, $"bad span {word} in {Escape(input)}");
                Assert.NotEmpty(word.Text);
                Assert.DoesNotContain(' ', word.Text);
                Assert.Equal(word.Text, normalized.Text.Substring(word.TextOffset, word.Text.Length));
                previousEnd = word.End;
            }

            Assert.True(normalized.Text == TextNormalizer.Normalize(normalized.Text).Text, $"not idempotent on {Escape(input)}");
        }
    }

    [Fact]
    public void Every_word_is_its_lower_cased_span_except_mapped_characters()
    {
        const string input = "\u201CIt\u2019s  O\u2019Neill\u2019s  call,\u201D\r\nsaid Ms.\tGarc\u00EDa \u2014 ``really'' \u2026 NASA\u00A0\U0001F680!";
        var normalized = TextNormalizer.Normalize(input);

        foreach (var word in normalized.Words)
        {
            string expected = input[word.Start..word.End].ToLowerInvariant()
                .Replace('\u201C', '"').Replace('\u201D', '"').Replace('\u2019', '\'')
                .Replace("``", "\"").Replace("''", "\"").Replace("\u2026", "...");
            Assert.Equal(expected, word.Text);
        }
    }

    private static void AssertWord(NormalizedText normalized, int index, string text, string original)
    {
        var word = normalized.Words[index];
        Assert.Equal(text, word.Text);
        Assert.Equal(original, normalized.Original[word.Start..word.End]);
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 128 && !char.IsControl(c) ? c.ToString() : $"\\u{(int)c:X4}"));
}
