using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Selector;

/// <summary>
/// Bottom-up attention (CopySalience): the copy attention over each source token is weighted by its sentence's salience
/// from the selector, σ(score)^α, and renormalized; the decoder's layers are left as they are.
/// </summary>
[Collection(TinyBundleCollection.Name)]
public class CopySalienceTests(TinyBundle bundle)
{
    private TransformerSummarizer Model => bundle.Summarizer;

    private DecodingOptions Options(float salience) => Model.Model.Defaults with { CopySalience = salience, MaxLength = 12, MinLength = 0 };

    [Fact]
    public void The_copy_prior_reweights_the_copy_attention_and_renormalizes_it()
    {
        var source = Model.TokenizeSource(ContentSelectionArticle);
        var ids = source.AllIds.AsSpan(0, source.Tokens.Count);
        var memory = Model.Encoder.Encode(ids);
        var prior = Enumerable.Range(0, ids.Length).Select(j => j % 3 == 0 ? 0.05f : 1f).ToArray();
        var plain = Model.Decoder.CreateState(memory, ids, 1);
        var weighted = Model.Decoder.CreateState(memory, ids, 1, copyPrior: prior);
        plain.Step([Model.Model.Config.BosId], 0);
        weighted.Step([Model.Model.Config.BosId], 0);

        var expected = plain.CopyAttention(0).ToArray().Select((a, j) => a * prior[j]).ToArray();
        var sum = expected.Sum();
        var actual = weighted.CopyAttention(0).ToArray();
        for (var j = 0; j < ids.Length; j++)
            Assert.Equal(expected[j] / sum, actual[j], 5);
        Assert.Equal(1f, actual.Sum(), 4);
        Assert.True(actual.Where((_, j) => j % 3 == 0).Sum() < plain.CopyAttention(0).ToArray().Where((_, j) => j % 3 == 0).Sum());
    }

    [Fact]
    public void A_prior_of_the_wrong_length_or_out_of_range_is_refused()
    {
        var source = Model.TokenizeSource(ContentSelectionArticle);
        var ids = source.AllIds.AsSpan(0, source.Tokens.Count).ToArray();
        var memory = Model.Encoder.Encode(ids);
        Assert.Throws<ArgumentException>(() => Model.Decoder.CreateState(memory, ids, 1, copyPrior: new float[ids.Length - 1]));
        var zero = Enumerable.Repeat(1f, ids.Length).ToArray();
        zero[2] = 0f;
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Decoder.CreateState(memory, ids, 1, copyPrior: zero));
        zero[2] = float.NaN;
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Decoder.CreateState(memory, ids, 1, copyPrior: zero));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(4f)]
    public void The_first_row_is_the_plain_one_weighted_by_the_selectors_sentence_scores(float salience)
    {
        // Both searches start from BOS, so their first copy rows differ only by the prior: σ(score)^α per sentence.
        var source = Model.TokenizeSource(ContentSelectionArticle);
        var sentences = Model.Extract(source, new ExtractiveOptions(ExtractiveOptions.MaxSentenceCount)).Extracted!;
        var plain = Model.Summarize(source, Options(0)).Attention!.Weights[0];
        var weighted = Model.Summarize(source, Options(salience));
        var row = weighted.Attention!.Weights[0];
        Assert.Equal(salience, weighted.Options.CopySalience);

        var score = sentences.ToDictionary(e => e.Index, e => e.Score);
        var sentenceOf = weighted.SourceTokens.Select(t => weighted.SourceSentences.Select((s, i) => (s, i)).Last(x => x.s.Start <= t.Start).i).ToArray();
        var expected = plain.Select((a, j) => a * MathF.Pow(score[sentenceOf[j]], salience)).ToArray();
        var sum = expected.Sum();
        for (var j = 0; j < row.Length; j++)
            Assert.Equal(expected[j] / sum, row[j], 4);
        Assert.Equal(1f, row.Sum(), 3);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(8.5f)]
    [InlineData(float.NaN)]
    public void Out_of_range_saliences_are_refused_by_name(float salience)
    {
        var error = Assert.Single(DecodingOptionsValidator.Validate(Options(salience), Model.Model));
        Assert.Equal(nameof(DecodingOptions.CopySalience), error.Option);
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Summarize(ContentSelectionArticle, Options(salience)));
    }

    private const string ContentSelectionArticle =
        "The city council voted on Tuesday to build a new bridge across the river. " +
        "The bridge will cost 20 million dollars, officials said. " +
        "Work starts in May and should take three years. " +
        "Residents hope it will shorten their daily commute. " +
        "Some shop owners fear a loss of trade during the works.";
}
