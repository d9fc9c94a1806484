using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tests;

public class SentenceProvenanceTests
{
    // "Rain fell. Roads shut. Schools opened." as one token per word and period.
    private const string Input = "Rain fell. Roads shut. Schools opened.";

    private static SourceToken[] Tokens(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\w+|\.").Select(m => new SourceToken(m.Value, m.Index, m.Index + m.Length)).ToArray();

    [Fact]
    public void Sentence_spans_split_natural_and_ptb_text_and_keep_abbreviations()
    {
        Assert.Equal([(0, 10), (11, 22), (23, 38)], SentenceSpans.Split(Input));
        Assert.Equal([(0, 11), (12, 24)], SentenceSpans.Split("it rained . roads shut ."));
        Assert.Equal([(0, 33)], SentenceSpans.Split("The U.S. storm hit St. Louis hard"));
        Assert.Equal([(0, 8), (9, 17)], SentenceSpans.Split("Headline\nBody one"));
        Assert.Equal([(1, 7), (8, 14)], SentenceSpans.Split(" \"Why?\" Nobody"));
    }

    [Fact]
    public void Each_summary_sentence_names_the_source_sentences_its_tokens_attended_to_largest_share_first()
    {
        var source = Tokens(Input);
        var sentences = SentenceProvenance.SourceSentences(Input, source);
        const string summary = "Roads shut. Rain fell.";
        var summaryTokens = Tokens(summary).Select((t, i) => new SummaryToken(i, t.Text, t.Start, t.End, 1f, false)).ToArray();
        // Rows: the first summary sentence reads "Roads shut ." (source tokens 3..5) mostly and "Schools" a little; the
        // second reads "Rain fell ." only.
        var s = source.Length;
        var attention = new float[summaryTokens.Length * s];
        for (var t = 0; t < 3; t++)
        {
            attention[t * s + 3 + t] = 0.8f;
            attention[t * s + 6] = 0.2f;
        }
        for (var t = 3; t < 6; t++)
            attention[t * s + (t - 3)] = 1f;

        var result = SentenceProvenance.Summarize(summary, summaryTokens, source, sentences, attention);

        Assert.Equal(2, result.Length);
        Assert.Equal((0, 11), (result[0].Start, result[0].End));
        Assert.Equal([1, 2], result[0].Sources.Select(x => x.Index));
        Assert.Equal(0.8f, result[0].Sources[0].Share, 5);
        Assert.Equal(0.2f, result[0].Sources[1].Share, 5);
        Assert.Equal((11, 22), (result[0].Sources[0].Start, result[0].Sources[0].End));
        var only = Assert.Single(result[1].Sources);
        Assert.Equal((0, 1f), (only.Index, only.Share));
    }

    [Fact]
    public void Small_shares_are_left_out_but_never_every_source()
    {
        var source = Tokens(Input);
        var sentences = SentenceProvenance.SourceSentences(Input, source);
        var summaryTokens = new[] { new SummaryToken(0, "Rain", 0, 4, 1f, false) };
        var attention = new float[source.Length];
        attention[0] = 0.4f;  // sentence 0
        attention[3] = 0.33f; // sentence 1
        attention[6] = 0.27f; // sentence 2
        var three = SentenceProvenance.Summarize("Rain", summaryTokens, source, sentences, attention);
        Assert.Equal([0, 1, 2], three[0].Sources.Select(x => x.Index));

        attention[3] = 0.5f;
        attention[6] = 0.1f / 1.5f; // under MinShare of the whole
        var two = SentenceProvenance.Summarize("Rain", summaryTokens, source, sentences, attention);
        Assert.Equal([1, 0], two[0].Sources.Select(x => x.Index));
    }

    [Fact]
    public void Sentences_past_the_window_are_marked_unread()
    {
        var source = Tokens(Input);
        var read = SentenceProvenance.SourceSentences(Input, source[..4]); // "Rain fell . Roads"
        Assert.Equal([true, true, false], read.Select(x => x.Read));
    }
}
