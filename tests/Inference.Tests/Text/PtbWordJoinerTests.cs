using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tests.Text;

/// <summary>Basic words (WordPiece's split of PTB words) back to PTB words, then to prose (DESIGN.md "Output text").</summary>
public class PtbWordJoinerTests
{
    private static string[] Ptb(PtbWordJoiner joiner, string basicWords) => [.. joiner.ToPtbWords(basicWords.Split(' ')).Words];

    private static string Prose(string source, string basicWords)
    {
        var normalized = TextNormalizer.Normalize(source);
        var (words, _) = PtbWordJoiner.FromSource(normalized).ToPtbWords(basicWords.Split(' '));
        return Detokenizer.FromSource(normalized).Detokenize(words).Text;
    }

    [Theory]
    [InlineData("the u . s . is n ' t happy ,", "the u.s. is n't happy ,")]
    [InlineData("12 , 000 people and 3 . 5 million", "12,000 people and 3.5 million")]
    [InlineData("obama ' s plan , we ' re , i ' m , you ' ve , she ' d , they ' ll", "obama 's plan , we 're , i 'm , you 've , she 'd , they 'll")]
    [InlineData("d . c . and u . s . a .", "d.c. and u.s.a.")]
    [InlineData("plan b . a man", "plan b . a man")]
    [InlineData("the n word ' s t", "the n word 's t")]
    [InlineData("rock ' n ' roll", "rock ' n ' roll")]
    [InlineData(", 5 . the", ", 5 . the")]
    public void Without_a_source_only_the_ptb_forms_are_joined(string basicWords, string ptb) =>
        Assert.Equal(ptb.Split(' '), Ptb(PtbWordJoiner.Plain, basicWords));

    [Fact]
    public void Pairs_the_source_writes_together_are_joined()
    {
        var joiner = PtbWordJoiner.FromSource(TextNormalizer.Normalize("The co-pilot wrote to O'Neill at 9:30."));
        Assert.Equal(["the", "co-pilot", "wrote", "to", "o'neill", "at", "9:30", "."], Ptb(joiner, "the co - pilot wrote to o ' neill at 9 : 30 ."));
    }

    [Fact]
    public void Pairs_the_source_writes_only_apart_stay_apart()
    {
        var joiner = PtbWordJoiner.FromSource(TextNormalizer.Normalize("In 2012, 3 people died."));
        Assert.Equal(["in", "2012", ",", "3", "people"], Ptb(joiner, "in 2012 , 3 people"));
        Assert.Equal(["in", "2012,3", "people"], Ptb(PtbWordJoiner.Plain, "in 2012 , 3 people")); // the default, without that evidence
    }

    [Fact]
    public void Pairs_written_both_ways_in_the_source_are_joined()
    {
        var joiner = PtbWordJoiner.FromSource(TextNormalizer.Normalize("It cost 12,000 dollars in 2012, 3 said."));
        Assert.Equal(["12,000"], Ptb(joiner, "12 , 000"));
    }

    [Theory]
    [InlineData("The U.S. isn't happy, officials said.", "the u . s . is n ' t happy , officials said .", "The U.S. isn't happy, officials said.")]
    [InlineData("Obama's plan cost $12,000.", "obama ' s plan cost $ 12 , 000 .", "Obama's plan cost $12,000.")]
    [InlineData("He said the 35-year-old suspect died.", "the 35 - year - old suspect died .", "The 35-year-old suspect died.")]
    public void Summary_words_become_prose_with_the_sources_spelling(string source, string basicWords, string expected) =>
        Assert.Equal(expected, Prose(source, basicWords));

    [Fact]
    public void While_streaming_a_form_the_next_word_may_complete_counts()
    {
        string[] words = ["is", "n", "'"];
        Assert.Equal([false, false, true], PtbWordJoiner.Plain.Join(words, complete: false));
        Assert.Equal([false, false, false], PtbWordJoiner.Plain.Join(words));
        Assert.Equal([false, true], PtbWordJoiner.Plain.Join(["12", ","], complete: false));
        Assert.Equal([false, false], PtbWordJoiner.Plain.Join(["12", ","]));
        Assert.Empty(PtbWordJoiner.Plain.Join([]));
    }
}
