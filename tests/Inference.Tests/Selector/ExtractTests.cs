using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Selector;

/// <summary>The extractive mode end to end on the tiny bundle's selector: the summary is source sentences as written.</summary>
[Collection(TinyBundleCollection.Name)]
public class ExtractTests(TinyBundle bundle)
{
    private const string Article =
        "The city council voted on Tuesday to build a new bridge across the river. " +
        "The bridge will cost 20 million dollars, officials said. " +
        "Work starts in May and should take three years. " +
        "Residents hope it will shorten their daily commute. " +
        "Some shop owners fear a loss of trade during the works. " +
        "The mayor called the vote a historic day for the city.";

    private TransformerSummarizer Model => bundle.Summarizer;

    private SummaryResult Extract(string text, int count, SentenceOrder order = SentenceOrder.Offset) =>
        Model.Extract(Model.TokenizeSource(text), new ExtractiveOptions(count, order));

    [Fact]
    public void The_summary_is_the_taken_sentences_as_written_each_pointing_at_itself()
    {
        var r = Extract(Article, 3);

        Assert.Equal(SummaryMode.Extractive, r.Mode);
        Assert.Equal(6, r.SourceSentences.Count);
        Assert.Equal(3, r.Extracted!.Count);
        Assert.Equal(string.Join(" ", r.Extracted.Select(e => Article[e.Start..e.End])), r.Summary);
        Assert.Equal(r.Extracted.Select(e => e.Start).Order(), r.Extracted.Select(e => e.Start)); // by offset
        Assert.Equal([1, 2, 3], r.Extracted.Select(e => e.Rank).Order());
        for (var k = 0; k < r.Extracted.Count; k++)
        {
            var e = r.Extracted[k];
            Assert.Equal((r.SourceSentences[e.Index].Start, r.SourceSentences[e.Index].End), (e.Start, e.End));
            Assert.InRange(e.Score, 0f, 1f);
            var sentence = r.Sentences[k];
            Assert.Equal(Article[e.Start..e.End], r.Summary[sentence.Start..sentence.End]);
            var source = Assert.Single(sentence.Sources);
            Assert.Equal((e.Index, e.Start, e.End, 1f), (source.Index, source.Start, source.End, source.Share));
        }
        Assert.Null(r.Attention);
        Assert.All(r.SummaryTokens, t => Assert.Equal(t.Text, r.Summary[t.Start..t.End]));
    }

    [Fact]
    public void Rank_order_puts_the_best_scored_first_and_takes_the_same_sentences()
    {
        var byOffset = Extract(Article, 3);
        var byRank = Extract(Article, 3, SentenceOrder.Rank);

        var ranked = byRank.Extracted!;
        Assert.Equal([1, 2, 3], ranked.Select(e => e.Rank));
        Assert.True(ranked.Zip(ranked.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(byOffset.Extracted!.Select(e => e.Index).Order(), ranked.Select(e => e.Index).Order());
    }

    [Fact]
    public void The_sentence_map_has_a_row_per_summary_sentence_over_every_source_sentence()
    {
        var r = Extract(Article, 2);
        Assert.Equal(r.Sentences.Count, r.SentenceAttention!.Length);
        Assert.All(r.SentenceAttention, row =>
        {
            Assert.Equal(r.SourceSentences.Count, row.Length);
            Assert.Equal(1f, row.Sum(), 3);
        });
    }

    [Fact]
    public void Asking_for_more_sentences_than_the_text_has_gives_them_all()
    {
        var r = Extract(Article, 20);
        Assert.Equal(Enumerable.Range(0, 6), r.Extracted!.Select(e => e.Index));
    }

    [Theory]
    [InlineData("Just one sentence without an ending")]
    [InlineData("no punctuation at all just words running on and on for a while with nothing to stop them")]
    [InlineData("Bridge vote passes\nCouncil backs new river crossing\nWork to start in May")]
    [InlineData("- bridge approved\n- costs 20 million\n- opens 2028")]
    public void Texts_without_sentence_punctuation_still_give_a_summary(string text)
    {
        var r = Extract(text, 3);
        Assert.NotEmpty(r.Extracted!);
        Assert.All(r.Extracted!, e => Assert.Contains(text[e.Start..e.End], r.Summary));
        Assert.Equal(text.Contains('\n') ? 3 : 1, r.SourceSentences.Count);
    }

    [Fact]
    public void Thousands_of_short_sentences_are_scored_within_the_window()
    {
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"Go {i}. "));
        var r = Extract(text, 3);
        Assert.True(r.Truncated);
        Assert.Equal(3, r.Extracted!.Count);
        Assert.All(r.Extracted, e => Assert.True(r.SourceSentences[e.Index].Read));
    }

    [Fact]
    public void Sentences_past_the_window_are_marked_unread_and_never_taken()
    {
        var text = Article + " " + string.Concat(Enumerable.Repeat("The works will also repave the old road by the river bank. ", 60));
        var r = Extract(text, 20);
        Assert.True(r.Truncated);
        Assert.Contains(r.SourceSentences, s => !s.Read);
        Assert.All(r.Extracted!, e => Assert.True(r.SourceSentences[e.Index].Read));
        Assert.All(r.SentenceAttention!, row => Assert.All(r.SourceSentences.Select((s, i) => (s, i)).Where(x => !x.s.Read), x => Assert.Equal(0f, row[x.i])));
    }

    [Fact]
    public void A_repeated_sentence_is_taken_once()
    {
        var text = "The bridge will cost 20 million dollars. The bridge will cost 20 million dollars. Work starts in May.";
        var r = Extract(text, 3);
        Assert.Equal(2, r.Extracted!.Count); // trigram blocking skips the copy
    }

    [Fact]
    public void The_same_text_gives_the_same_summary()
    {
        Assert.Equal(Extract(Article, 3).Summary, Extract(Article, 3).Summary);
    }
}
