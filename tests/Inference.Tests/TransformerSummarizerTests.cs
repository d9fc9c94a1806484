using Summarizer.Inference.Tests.Support;
using Summarizer.Inference.Text;

namespace Summarizer.Inference.Tests;

/// <summary>The whole service path (real encoder, untrained decoder): shapes, spans, streaming, limits, errors.</summary>
[Collection(RandomBundleCollection.Name)]
public class TransformerSummarizerTests(RandomBundleFixture bundle)
{
    private const string Article =
        "NEW DELHI (CNN) -- In an unusual public raid in India, thousands stormed a jail and dragged out a rape suspect " +
        "before beating him to death on the streets, authorities said Friday. The 35-year-old suspect \"died on the spot,\" " +
        "police said. He wasn't known to them before.";

    private static readonly DecodingOptions Beam = new() { NumBeams = 4, MaxLength = 24, MinLength = 6, NoRepeatNgramSize = 3 };
    private static readonly DecodingOptions Greedy = new() { NumBeams = 1, MaxLength = 16 };

    private TransformerSummarizer Model => bundle.Summarizer;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Attention_has_a_row_per_summary_token_a_column_per_source_token_and_rows_sum_to_one(int beams)
    {
        var result = Model.Summarize(Article, Beam with { NumBeams = beams });
        Assert.NotEmpty(result.SummaryTokens);
        var maps = Assert.IsType<AttentionMaps>(result.Attention);
        Assert.Equal(result.SummaryTokens.Count, maps.Weights.Length);
        foreach (var row in maps.Weights)
        {
            Assert.Equal(result.SourceTokens.Count, row.Length);
            Assert.Equal(1.0, row.Sum(), 4);
        }
        Assert.Null(maps.Layers);
    }

    [Fact]
    public void Spans_point_into_the_input_and_the_summary()
    {
        var result = Model.Summarize(Article, Beam);
        Assert.Equal(result.SourceTokens.Count, result.InputTokenCount);
        Assert.False(result.Truncated);
        foreach (var token in result.SourceTokens)
            Assert.Equal(Article[token.Start..token.End], token.Text);
        Assert.Equal("NEW", result.SourceTokens[0].Text);
        // Subword tokens split their word's span: the pieces of "DELHI" cover it exactly.
        Assert.Equal("DELHI", string.Concat(result.SourceTokens.Where(t => t.Start >= 4 && t.End <= 9).Select(t => t.Text)));
        var previousEnd = 0;
        foreach (var token in result.SummaryTokens)
        {
            Assert.Equal(result.Summary[token.Start..token.End], token.Text);
            Assert.True(token.Start >= previousEnd || token.Start == token.End || token.Text.Length > 0);
            Assert.InRange(token.CopyProbability, 0f, 1f);
            previousEnd = token.End;
        }
    }

    [Fact]
    public void Full_attention_has_every_layer_and_head_and_its_last_layer_mean_is_the_copy_distribution()
    {
        var result = Model.Summarize(Article, Beam, AttentionDetail.Full);
        var maps = result.Attention!;
        var layers = Assert.IsType<float[][][][]>(maps.Layers);
        Assert.Equal(Model.Model.Config.DecoderLayers, layers.Length);
        Assert.All(layers, l => Assert.Equal(Model.Model.Config.HeadCount, l.Length));
        var last = layers[^1];
        for (var t = 0; t < maps.Weights.Length; t++)
            for (var j = 0; j < maps.Weights[t].Length; j++)
                Assert.Equal(last.Average(head => (double)head[t][j]), maps.Weights[t][j], tolerance: 1e-6); // a tolerance: rounding to 5 places splits e.g. 0.0151149994 from 0.0151150003
    }

    [Fact]
    public void Attention_none_returns_no_maps_but_the_same_summary()
    {
        var with = Model.Summarize(Article, Beam);
        var without = Model.Summarize(Article, Beam, AttentionDetail.None);
        Assert.Null(without.Attention);
        Assert.Equal(with.Summary, without.Summary);
    }

    [Fact]
    public void Long_input_is_truncated_without_an_exception()
    {
        var text = string.Join(" ", Enumerable.Repeat(Article, 12));
        var result = Model.Summarize(text, Greedy);
        Assert.True(result.Truncated);
        Assert.Equal(Model.Model.Config.MaxSourceLength, result.SourceTokens.Count);
        Assert.True(result.InputTokenCount > Model.Model.Config.MaxSourceLength);
        Assert.All(result.Attention!.Weights, row => Assert.Equal(Model.Model.Config.MaxSourceLength, row.Length));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    public void TokenizeSource_announces_exactly_the_tokens_the_summary_reads(int repeats)
    {
        var text = string.Join(" ", Enumerable.Repeat(Article, repeats));
        var source = Model.TokenizeSource(text);
        var result = Model.Summarize(text, Greedy);
        Assert.Equal(result.SourceTokens, source.Tokens);
        Assert.Equal(result.Truncated, source.Truncated);
        Assert.Equal(result.InputTokenCount, source.InputTokenCount);
        Assert.Equal(repeats > 1, source.Truncated);
    }

    [Fact]
    public void Summarizing_a_tokenization_equals_summarizing_its_text()
    {
        var source = Model.TokenizeSource(Article);

        var fromSource = Model.Summarize(source, Beam, AttentionDetail.Full);
        var fromText = Model.Summarize(Article, Beam, AttentionDetail.Full);

        Assert.Equal(fromText.Summary, fromSource.Summary);
        Assert.Equal(fromText.SummaryTokens, fromSource.SummaryTokens);
        Assert.Equal(fromText.Attention!.Weights, fromSource.Attention!.Weights);
        Assert.Same(source.Tokens, fromSource.SourceTokens);
        Assert.True(fromSource.Timings.TokenizeMs > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Cancelling_from_the_token_callback_stops_generation_promptly(int beams)
    {
        using var cts = new CancellationTokenSource();
        var seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => Model.Summarize(Article, Beam with { NumBeams = beams, MinLength = 20 }, AttentionDetail.Aggregate,
            token => { seen++; cts.Cancel(); }, cts.Token));
        Assert.Equal(1, seen);
    }

    [Fact]
    public void Greedy_streaming_reports_every_token_in_order()
    {
        var streamed = new List<StreamedToken>();
        var result = Model.Summarize(Article, Greedy, AttentionDetail.Aggregate, t => streamed.Add(t with { Attention = t.Attention.ToArray() }));
        Assert.Equal(result.SummaryTokens.Select(t => t.Id), streamed.Select(t => t.Id));
        Assert.Equal(Enumerable.Range(0, streamed.Count), streamed.Select(t => t.Index));
        for (var i = 0; i < streamed.Count; i++)
        {
            Assert.Equal(result.Attention!.Weights[i], streamed[i].Attention.ToArray());
            Assert.Equal(result.SummaryTokens[i].CopyProbability, streamed[i].CopyProbability);
        }
    }

    [Fact]
    public void Concurrent_requests_give_the_same_results()
    {
        var expected = Model.Summarize(Article, Beam).SummaryTokens.Select(t => t.Id).ToArray();
        var results = new int[4][];
        Parallel.For(0, 4, i => results[i] = Model.Summarize(Article, Beam).SummaryTokens.Select(t => t.Id).ToArray());
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_text_is_an_unsummarizable_text_error(string text) =>
        Assert.Equal("text", Assert.Throws<UnsummarizableTextException>(() => Model.Summarize(text, Beam)).ParamName);

    [Fact]
    public void Invalid_options_name_the_option()
    {
        var max = Model.Model.Config.MaxTargetLength;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model.Summarize(Article, Beam with { MaxLength = max + 1 }));
        Assert.Contains("MaxLength", e.ParamName);
        Assert.Contains($"1..{max}", e.Message);
    }

    [Fact]
    public void Options_and_timings_are_reported()
    {
        var result = Model.Summarize(Article, Beam);
        Assert.Equal(Beam, result.Options);
        Assert.True(result.Timings.TotalMs >= result.Timings.DecodeMs);
        Assert.True(result.Timings.DecodeMs > 0);
    }

    [Fact]
    public void Unsupported_marks_generated_words_the_source_never_mentions()
    {
        var source = new HashSet<string> { "police", "said", "35" };
        Assert.True(SummaryBuilder.IsUnsupported("1998", [0.1f], source));
        Assert.True(SummaryBuilder.IsUnsupported("obama", [0.2f, 0.4f], source));
        Assert.False(SummaryBuilder.IsUnsupported("police", [0.1f], source)); // in the source
        Assert.False(SummaryBuilder.IsUnsupported("Police", [0.1f], source)); // case-insensitive
        Assert.False(SummaryBuilder.IsUnsupported("obama", [0.9f, 0.6f], source)); // copied
        Assert.False(SummaryBuilder.IsUnsupported(",", [0.0f], source)); // punctuation
    }

    [Fact]
    public void Unsupported_flags_in_a_real_summary_agree_with_the_source()
    {
        // Many options so both flagged and unflagged tokens are likely; each flag is checked against the definition,
        // on the PTB word the token belongs to (## pieces merged, basic words joined as the summary writes them).
        var normalized = TextNormalizer.Normalize(Article);
        var sourceWords = normalized.Words.Select(w => w.Text).ToHashSet();
        var joiner = PtbWordJoiner.FromSource(normalized);
        foreach (var beams in new[] { 1, 2, 4 })
        {
            var result = Model.Summarize(Article, Beam with { NumBeams = beams, MaxLength = 40, MinLength = 30 });
            var tokens = result.SummaryTokens;
            var basics = new List<string>();
            var basicOf = new int[tokens.Count];
            for (var i = 0; i < tokens.Count; i++)
            {
                var id = tokens[i].Id;
                if (Model.Tokenizer.IsSpecial(id))
                {
                    basicOf[i] = -1;
                    Assert.Equal(tokens[i].Start, tokens[i].End); // special tokens write nothing
                    continue;
                }
                if (Model.Tokenizer.IsContinuation(id) && basics.Count > 0)
                    basics[^1] += Model.Tokenizer.PieceText(id);
                else
                    basics.Add(Model.Tokenizer.PieceText(id));
                basicOf[i] = basics.Count - 1;
            }
            var (words, wordOf) = joiner.ToPtbWords(basics);
            for (var w = 0; w < words.Count; w++)
            {
                var members = Enumerable.Range(0, tokens.Count).Where(t => basicOf[t] >= 0 && wordOf[basicOf[t]] == w).ToList();
                var mean = members.Average(t => tokens[t].CopyProbability);
                var expected = words[w].Any(char.IsLetterOrDigit) && mean < 0.5 && !sourceWords.Contains(words[w]);
                Assert.All(members, t => Assert.Equal(expected, tokens[t].Unsupported));
            }
        }
    }

    [Fact]
    public void Streamed_texts_spell_the_summary_pieces_and_start_words_with_a_space()
    {
        var streamed = new List<StreamedToken>();
        var result = Model.Summarize(Article, Greedy with { MaxLength = 30, MinLength = 20 }, AttentionDetail.None, streamed.Add);
        Assert.Equal(result.SummaryTokens.Count, streamed.Count);
        for (var i = 0; i < streamed.Count; i++)
        {
            var id = streamed[i].Id;
            var piece = Model.Tokenizer.PieceText(id);
            Assert.Equal(piece, streamed[i].Text.TrimStart(' '));
            if (Model.Tokenizer.IsContinuation(id) && streamed.Take(i).Any(t => !Model.Tokenizer.IsSpecial(t.Id)))
                Assert.False(streamed[i].Text.StartsWith(' '), $"'{streamed[i].Text}' continues a word");
        }
    }
}
