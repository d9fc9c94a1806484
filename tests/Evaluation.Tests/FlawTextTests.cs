namespace Summarizer.Evaluation.Tests;

public class FlawTextTests
{
    [Theory]
    [InlineData("O'Connell's U.S. well-known", new[] { "o", "connell", "s", "u", "s", "well", "known" })]
    [InlineData("  Café Zoë, 3.5 km ", new[] { "cafe", "zoe", "3", "5", "km" })]
    [InlineData("ÅNGSTRÖM naïve", new[] { "angstrom", "naive" })]
    [InlineData("", new string[0])]
    public void Words_are_folded_runs_of_letters_or_digits(string text, string[] expected)
    {
        Assert.Equal(expected, FlawText.Words(text));
    }

    [Fact]
    public void Tokens_keep_each_punctuation_mark()
    {
        Assert.Equal(["he", "said", ".", "said", "!", "!", "o", "'", "neil"], FlawText.Tokens("He said. Said!! O'Neil"));
    }

    [Fact]
    public void A_lone_surrogate_does_not_stop_folding()
    {
        Assert.Equal(["a", "b"], FlawText.Words("a\uD800b"));
    }
}
