using Summarizer.Evaluation;

namespace Summarizer.Evaluation.Tests;

public class SentenceSplitterTests
{
    private const string Article =
        "( cnn ) the u.s. storm hit st. louis at 10 p.m. . it was bad ! \" why ? \" she asked ... nobody knew . more text here . last";

    [Fact]
    public void Splits_tokenized_text_on_period_question_and_exclamation_words()
    {
        Assert.Equal(
            ["( cnn ) the u.s. storm hit st. louis at 10 p.m. .", "it was bad !", "\" why ? \"", "she asked ... nobody knew .", "more text here .", "last"],
            SentenceSplitter.SplitTokenized(Article));
    }

    [Fact]
    public void Lead3_is_the_first_three_sentences_one_per_line()
    {
        Assert.Equal("( cnn ) the u.s. storm hit st. louis at 10 p.m. .\nit was bad !\n\" why ? \"", Lead3.Select(Article));
        Assert.Equal("one sentence .", Lead3.Select("one sentence ."));
        Assert.Equal("", Lead3.Select("   "));
    }

    [Fact]
    public void Splits_natural_text_but_not_after_abbreviations_or_ellipses()
    {
        Assert.Equal(
            ["The U.S. storm hit St. Louis at 10 p.m. on Monday.", "It was bad!", "\"Why?\"", "She asked... nobody knew.", "Dr. J. Smith agreed"],
            SentenceSplitter.SplitNatural("The U.S. storm hit St. Louis at 10 p.m. on Monday. It was bad! \"Why?\" She asked... nobody knew. Dr. J. Smith agreed"));
    }

    [Fact]
    public void Natural_splitting_of_tokenized_text_gives_the_same_rouge_sentences()
    {
        // A closing quote may land at the start of the next sentence instead; ROUGE drops quotes, so the tokens agree.
        Assert.Equal(
            SentenceSplitter.SplitTokenized(Article).Select(s => RougeTokenizer.Tokenize(s)),
            SentenceSplitter.SplitNatural(Article).Select(s => RougeTokenizer.Tokenize(s)));
    }
}
