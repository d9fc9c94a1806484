using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Selector;

/// <summary>Content selection (SelectSentences): the decoder reads only the sentences the selector ranks highest.</summary>
[Collection(TinyBundleCollection.Name)]
public class ContentSelectionTests(TinyBundle bundle)
{
    private const string Article =
        "The city council voted on Tuesday to build a new bridge across the river. " +
        "The bridge will cost 20 million dollars, officials said. " +
        "Work starts in May and should take three years. " +
        "Residents hope it will shorten their daily commute. " +
        "Some shop owners fear a loss of trade during the works.";

    private TransformerSummarizer Model => bundle.Summarizer;

    private DecodingOptions Options(int select) => Model.Model.Defaults with { SelectSentences = select, MaxLength = 16, MinLength = 0 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Copy_attention_falls_only_on_the_selected_sentences(int count)
    {
        var source = Model.TokenizeSource(Article);
        var selected = Model.Extract(source, new ExtractiveOptions(count)).Extracted!.Select(e => e.Index).ToHashSet();
        var streamed = new List<float[]>();
        var r = Model.Summarize(source, Options(count), AttentionDetail.Full, t => streamed.Add(t.Attention.ToArray()));

        var sentenceOf = r.SourceTokens.Select(t => r.SourceSentences.Select((s, i) => (s, i)).Last(x => x.s.Start <= t.Start).i).ToArray();
        Assert.NotEmpty(r.SummaryTokens);
        foreach (var row in r.Attention!.Weights.Concat(streamed).Concat(r.Attention.Layers!.SelectMany(l => l.SelectMany(h => h))))
        {
            Assert.Equal(r.SourceTokens.Count, row.Length);
            Assert.Equal(1f, row.Sum(), 3);
            for (var j = 0; j < row.Length; j++)
                if (!selected.Contains(sentenceOf[j]))
                    Assert.Equal(0f, row[j]);
        }
        Assert.All(r.Sentences.SelectMany(s => s.Sources), s => Assert.Contains(s.Index, selected));
    }

    [Fact]
    public void Zero_reads_the_whole_text()
    {
        var r = Model.Summarize(Article, Options(0));
        Assert.Contains(r.Attention!.Weights, row => row.Select((w, j) => (w, j)).Any(x => x.w > 0 && r.SourceTokens[x.j].Start > 150));
    }

    [Fact]
    public void Out_of_range_counts_are_refused_by_name()
    {
        var errors = DecodingOptionsValidator.Validate(Options(21), Model.Model);
        Assert.Equal(nameof(DecodingOptions.SelectSentences), Assert.Single(errors).Option);
        Assert.Equal(nameof(DecodingOptions.SelectSentences), Assert.Single(DecodingOptionsValidator.Validate(Options(-1), Model.Model)).Option);
    }
}
