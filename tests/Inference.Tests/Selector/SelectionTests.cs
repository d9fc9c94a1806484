using Summarizer.Inference.Selector;

namespace Summarizer.Inference.Tests.Selector;

/// <summary>Sentence token ranges and the top-k rule with trigram blocking.</summary>
public class SelectionTests
{
    private static SourceToken T(int start, int end) => new("x", start, end);

    [Fact]
    public void Tokens_belong_to_the_sentence_holding_their_first_character()
    {
        SourceSentence[] sentences = [new(0, 10, true), new(11, 20, true), new(21, 30, false)];
        SourceToken[] tokens = [T(0, 3), T(4, 10), T(11, 15), T(16, 20)];
        Assert.Equal([new(0, 0, 2), new SentenceTokenRange(1, 2, 4)], SentenceTokenRange.Of(sentences, tokens));
    }

    [Fact]
    public void A_sentence_without_read_tokens_is_left_out()
    {
        SourceSentence[] sentences = [new(0, 5, true), new(6, 8, true), new(9, 20, true)];
        SourceToken[] tokens = [T(0, 5), T(9, 12)];
        Assert.Equal([0, 2], SentenceTokenRange.Of(sentences, tokens).Select(r => r.Sentence));
        Assert.Empty(SentenceTokenRange.Of([], tokens));
    }

    [Fact]
    public void The_best_scored_are_taken_by_rank_and_ties_go_to_the_earlier()
    {
        int[] ids = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        SentenceTokenRange[] s = [new(0, 0, 3), new(1, 3, 6), new(2, 6, 9)];
        Assert.Equal([2, 0], ExtractiveSelection.Select([0.5f, 0.1f, 0.9f], ids, s, 2));
        Assert.Equal([0, 1], ExtractiveSelection.Select([0.5f, 0.5f, 0.5f], ids, s, 2));
        Assert.Empty(ExtractiveSelection.Select([0.5f, 0.5f, 0.5f], ids, s, 0));
    }

    [Fact]
    public void A_sentence_repeating_a_trigram_already_taken_is_skipped()
    {
        int[] ids = [1, 2, 3, 9, 1, 2, 3, 8, 7, 6, 5];
        SentenceTokenRange[] s = [new(0, 0, 4), new(1, 4, 8), new(2, 8, 11)];
        Assert.Equal([0, 2], ExtractiveSelection.Select([0.9f, 0.8f, 0.1f], ids, s, 2));
    }
}
