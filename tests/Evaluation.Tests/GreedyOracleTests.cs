namespace Summarizer.Evaluation.Tests;

public class GreedyOracleTests
{
    private static IReadOnlyList<string> Tokens(string text) => RougeTokenizer.Tokenize(text);

    private static IReadOnlyList<IReadOnlyList<string>> Sentences(params string[] sentences) => sentences.Select(Tokens).ToList();

    [Fact]
    public void The_sentence_closest_to_the_reference_comes_first_then_the_one_that_adds_the_most()
    {
        var sentences = Sentences(
            "The weather was mild on Tuesday.",
            "The mayor opened a shelter for cyclists.",
            "Officials said the shelter holds 120 people.",
            "A football match ended in a draw.");
        var chosen = GreedyOracle.Select(sentences, Tokens("The mayor opened a cyclists' shelter that holds 120 people."), 3);
        Assert.Equal([1, 2], chosen); // the weather and the match add nothing, so the oracle stops at two
    }

    [Fact]
    public void It_stops_at_the_most_sentences_asked_for()
    {
        var sentences = Sentences("Rain fell in Lisbon.", "Storms closed the bridge.", "Riders were rescued.");
        var reference = Tokens("Rain fell in Lisbon, storms closed the bridge and riders were rescued.");
        Assert.Equal(3, GreedyOracle.Select(sentences, reference, 3).Count);
        Assert.Single(GreedyOracle.Select(sentences, reference, 1));
        Assert.Empty(GreedyOracle.Select(sentences, reference, 0));
    }

    [Fact]
    public void A_sentence_that_repeats_what_is_chosen_is_not_added()
    {
        var sentences = Sentences("The bank raised rates.", "The bank raised rates.", "Prices fell.");
        var chosen = GreedyOracle.Select(sentences, Tokens("The bank raised rates."), 3);
        Assert.Equal([0], chosen); // the copy only lowers precision; the third sentence shares nothing
    }

    [Fact]
    public void No_sentence_or_no_overlap_chooses_nothing()
    {
        Assert.Empty(GreedyOracle.Select(Sentences(), Tokens("Anything at all."), 3));
        Assert.Empty(GreedyOracle.Select(Sentences("Completely unrelated words here."), Tokens("Lisbon shelter opens."), 3));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => GreedyOracle.Select(null!, Tokens("x"), 3));
        Assert.Throws<ArgumentNullException>(() => GreedyOracle.Select(Sentences("x"), null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => GreedyOracle.Select(Sentences("x"), Tokens("x"), -1));
    }
}
