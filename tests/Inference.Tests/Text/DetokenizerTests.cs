using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tests.Text;

public class DetokenizerTests
{
    private static string[] Words(string cnndm) => cnndm.Split(' ');

    [Theory]
    [InlineData("the man said it did n't work .", "The man said it didn't work.")]
    [InlineData("\" we 're here , \" he said . \" i 'm sure . \"", "\"We're here,\" he said. \"I'm sure.\"")]
    [InlineData("( cnn ) -- a 35 - year - old man paid $ 5 for 50 % of it .", "(CNN) -- a 35-year-old man paid $5 for 50% of it.")]
    [InlineData("what ? no way ! i can not believe it ... really .", "What? No way! I cannot believe it... really.")]
    [InlineData("they 're gon na win , and we 've got ta go .", "They're gonna win, and we've gotta go.")]
    [InlineData("the players ' union called it ' unfair ' [ sic ] .", "The players' union called it 'unfair' [sic].")]
    [InlineData("he was ' famous ' in the u.s. and d.c. at 9 a.m.", "He was 'famous' in the U.S. and D.C. at 9 a.m.")]
    [InlineData("3 people died . 2 were hurt .", "3 people died. 2 were hurt.")]
    public void Joins_ptb_words_into_natural_text_without_a_source(string cnndm, string expected)
    {
        Assert.Equal(expected, Detokenizer.Plain.Detokenize(Words(cnndm)).Text);
    }

    [Fact]
    public void Uses_the_sources_own_spellings()
    {
        var source = TextNormalizer.Normalize(
            "NASA said on Monday that Barack Obama met the iPhone team. Obama visited the U.S. Capitol. (CNN) reported it. The plan was new.");
        var detokenizer = Detokenizer.FromSource(source);

        var result = detokenizer.Detokenize(Words("obama told nasa the iphone is new , cnn says . iphone sales rose in the u.s. capitol ."));

        Assert.Equal("Obama told NASA the iPhone is new, CNN says. iPhone sales rose in the U.S. Capitol.", result.Text);
    }

    [Fact]
    public void Learns_spellings_written_with_curly_apostrophes()
    {
        var source = TextNormalizer.Normalize("The coach praised O\u2019Neill\u2019s team.");

        Assert.Equal("O'Neill's team won.", Detokenizer.FromSource(source).Detokenize(Words("o'neill 's team won .")).Text);
    }

    [Fact]
    public void Prefers_occurrences_that_do_not_start_a_sentence()
    {
        var source = TextNormalizer.Normalize("Apple fell. Shares of apple fell. An apple a day. Apple is red.");

        Assert.Equal("They like apple.", Detokenizer.FromSource(source).Detokenize(Words("they like apple .")).Text);
    }

    [Fact]
    public void A_spelling_seen_only_at_sentence_starts_is_not_learned_when_it_is_plain_capitalization()
    {
        var source = TextNormalizer.Normalize("Today was fine. McDonald said so.");

        Assert.Equal("It was today, McDonald said.", Detokenizer.FromSource(source).Detokenize(Words("it was today , mcdonald said .")).Text);
    }

    [Fact]
    public void Spans_cover_each_word_in_the_output()
    {
        string[] words = ["\"", "i", "do", "n't", "know", ",", "\"", "said", "obama", "", "."];
        var source = TextNormalizer.Normalize("He met Obama.");

        var result = Detokenizer.FromSource(source).Detokenize(words);

        Assert.Equal("\"I don't know,\" said Obama.", result.Text);
        Assert.Equal(words.Length, result.WordSpans.Count);
        string[] expected = ["\"", "I", "do", "n't", "know", ",", "\"", "said", "Obama", "", "."];
        for (int i = 0; i < words.Length; i++)
        {
            var (start, end) = result.WordSpans[i];
            Assert.Equal(expected[i], result.Text[start..end]);
        }

        Assert.Equal((26, 26), result.WordSpans[9]);
    }

    [Theory]
    [InlineData("\"It's the U.S. Treasury,\" he said.")]
    [InlineData("Police initially used teargas to rescue the man, but it didn't work, he said.")]
    [InlineData("New Delhi (CNN) Thousands stormed a jail in India on Friday, police said.")]
    [InlineData("The 35-year-old suspect was described as an illegal immigrant from Bangladesh.")]
    [InlineData("She paid $5 for 50% of it. What? No way!")]
    [InlineData("He's gonna win, I cannot go and they'll stay.")]
    [InlineData("\"There were thousands of them. Many of them were students in uniform,\" Doungal said.")]
    [InlineData("Mr. Smith met Dr. Jones at 10:30 a.m. on Jan. 5 in Washington.")]
    [InlineData("The players' union called it 'unfair' [sic] and the co-pilot agreed.")]
    [InlineData("NASA and the iPhone maker (Apple) won't comment; O'Reilly's show will.")]
    [InlineData("Filmmaker: India's ban on the documentary is based on nothing, CNN's Faith Karimi said.")]
    public void Round_trips_ordinary_sentences(string original)
    {
        var normalized = TextNormalizer.Normalize(original);

        var result = Detokenizer.FromSource(normalized).Detokenize(normalized.Words.Select(w => w.Text).ToList());

        Assert.Equal(original, result.Text);
    }

    [Fact]
    public void Empty_input_gives_empty_text()
    {
        var result = Detokenizer.Plain.Detokenize([]);

        Assert.Equal("", result.Text);
        Assert.Empty(result.WordSpans);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>("source", () => Detokenizer.FromSource(null!));
        Assert.Throws<ArgumentNullException>("words", () => Detokenizer.Plain.Detokenize(null!));
        Assert.Throws<ArgumentException>("words", () => Detokenizer.Plain.Detokenize(["a", null!]));
    }
}
