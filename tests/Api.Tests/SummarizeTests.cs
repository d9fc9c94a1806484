using System.Net;
using System.Text.Json.Nodes;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>POST /summarize and /summarize/batch against the real tiny model.</summary>
public sealed class SummarizeTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Summarize_returns_summary_tokens_and_copy_attention_over_source_tokens()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Http.ReadObjectAsync(response);
        var source = body["sourceTokens"]!.AsArray();
        var summaryTokens = body["summaryTokens"]!.AsArray();
        Assert.NotEmpty(source);
        Assert.NotEmpty(summaryTokens);
        foreach (var t in source)
        {
            var (start, end) = ((int)t!["start"]!, (int)t["end"]!);
            Assert.Equal(Http.SampleText[start..end], (string)t["text"]!);
        }
        var summary = (string)body["summary"]!;
        foreach (var t in summaryTokens)
        {
            var (start, end) = ((int)t!["start"]!, (int)t["end"]!);
            Assert.InRange(start, 0, end);
            Assert.InRange(end, start, summary.Length);
            Assert.InRange((double)t["copyProbability"]!, 0, 1);
            Assert.NotNull(t["unsupported"]);
            Assert.NotNull(t["id"]);
        }
        var attention = body["attention"]!.AsObject();
        Assert.Equal("copy", (string)attention["kind"]!);
        Assert.False(attention.ContainsKey("layers"));
        var weights = attention["weights"]!.AsArray();
        Assert.Equal(summaryTokens.Count, weights.Count);
        foreach (var row in weights)
        {
            Assert.Equal(source.Count, row!.AsArray().Count);
            Assert.Equal(1.0, row.AsArray().Sum(w => (double)w!), 3);
        }
        Assert.False((bool)body["truncated"]!);
        Assert.Equal(source.Count, (int)body["inputTokenCount"]!);
        Assert.Equal(TinyConfig.Name, (string)body["model"]!["name"]!);
        Assert.Equal(TinyConfig.BundleVersion, (int)body["model"]!["version"]!);
        foreach (var key in new[] { "tokenizeMs", "encodeMs", "decodeMs", "totalMs", "queueMs" })
            Assert.True((double)body["timings"]![key]! >= 0, key);
    }

    [Fact]
    public async Task Missing_options_take_the_model_defaults_and_given_options_are_echoed()
    {
        using var client = await factory.CreateReadyClientAsync();
        var info = await Http.ReadObjectAsync(await client.GetAsync("/info"));
        var defaults = info["defaults"]!.AsObject();

        var plain = await Http.ReadObjectAsync(await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText }));
        Assert.True(JsonNode.DeepEquals(defaults, plain["options"]), $"{defaults} vs {plain["options"]}");

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize",
            new { text = Http.SampleText, maxLength = 6, minLength = 2, numBeams = 1, lengthPenalty = 0.5, noRepeatNgramSize = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Http.ReadObjectAsync(response);
        var options = body["options"]!;
        Assert.Equal(6, (int)options["maxLength"]!);
        Assert.Equal(2, (int)options["minLength"]!);
        Assert.Equal(1, (int)options["numBeams"]!);
        Assert.Equal(0.5, (double)options["lengthPenalty"]!);
        Assert.Equal(2, (int)options["noRepeatNgramSize"]!);
        Assert.InRange(body["summaryTokens"]!.AsArray().Count, 2, 6);
    }

    [Fact]
    public async Task Every_summary_sentence_names_its_source_sentences_with_spans_and_shares()
    {
        using var client = await factory.CreateReadyClientAsync();
        var body = await Http.ReadObjectAsync(await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, attention = "none" }));

        var summary = (string)body["summary"]!;
        var sourceSentences = body["sourceSentences"]!.AsArray();
        Assert.NotEmpty(sourceSentences);
        Assert.True((bool)sourceSentences[0]!["read"]!);
        var sentences = body["sentences"]!.AsArray();
        Assert.NotEmpty(sentences);
        Assert.Equal(0, (int)sentences[0]!["start"]!);
        Assert.Equal(summary.TrimEnd().Length, (int)sentences[^1]!["end"]!);
        foreach (var sentence in sentences)
        {
            var sources = sentence!["sources"]!.AsArray();
            Assert.InRange(sources.Count, 1, 3);
            var shares = sources.Select(x => (double)x!["share"]!).ToList();
            Assert.Equal(shares.OrderByDescending(x => x), shares);
            Assert.InRange(shares.Sum(), 0.0, 1.0001);
            foreach (var source in sources)
            {
                var index = (int)source!["index"]!;
                Assert.Equal((int)sourceSentences[index]!["start"]!, (int)source["start"]!);
                Assert.Equal((int)sourceSentences[index]!["end"]!, (int)source["end"]!);
            }
        }
    }

    [Fact]
    public async Task Grounded_options_are_taken_and_echoed_and_piece_ngrams_with_grounding_are_a_400()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize",
            new { text = Http.SampleText, grounded = true, noRepeatNgramSize = 0, noRepeatWordNgramSize = 3, maxWordRepeats = 2, sourcePhraseBonus = 1.5 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var options = (await Http.ReadObjectAsync(response))["options"]!;
        Assert.True((bool)options["grounded"]!);
        Assert.Equal(3, (int)options["noRepeatWordNgramSize"]!);
        Assert.Equal(2, (int)options["maxWordRepeats"]!);
        Assert.Equal(1.5, (double)options["sourcePhraseBonus"]!);

        using var refused = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, grounded = true, noRepeatNgramSize = 2 });
        var problem = await Http.AssertProblemAsync(refused, 400);
        Assert.Contains("noRepeatWordNgramSize", (string)problem["errors"]!["noRepeatNgramSize"]![0]!, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("full")]
    public async Task Attention_detail_none_omits_maps_and_full_adds_every_layer_and_head(string detail)
    {
        using var client = await factory.CreateReadyClientAsync();
        var model = (await Http.ReadObjectAsync(await client.GetAsync("/info")))["model"]!;

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, numBeams = 1, attention = detail });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Http.ReadObjectAsync(response);
        if (detail == "none")
        {
            Assert.Null(body["attention"]);
            return;
        }
        var rows = body["summaryTokens"]!.AsArray().Count;
        var cols = body["sourceTokens"]!.AsArray().Count;
        var layers = body["attention"]!["layers"]!.AsArray();
        Assert.Equal((int)model["config"]!["decoderLayers"]!, layers.Count);
        foreach (var layer in layers)
        {
            Assert.Equal((int)model["config"]!["headCount"]!, layer!.AsArray().Count);
            foreach (var head in layer.AsArray())
            {
                Assert.Equal(rows, head!.AsArray().Count);
                Assert.All(head.AsArray(), r => Assert.Equal(cols, r!.AsArray().Count));
            }
        }
    }

    [Fact]
    public async Task Input_longer_than_the_encoder_reads_is_truncated_and_says_so()
    {
        using var client = await factory.CreateReadyClientAsync();
        var maxSource = (int)(await Http.ReadObjectAsync(await client.GetAsync("/info")))["limits"]!["maxSourceTokens"]!;
        var text = string.Join(' ', Enumerable.Repeat(Http.SampleText, 20));

        var body = await Http.ReadObjectAsync(await ApiFactory.PostJsonAsync(client, "/summarize", new { text, numBeams = 1, maxLength = 5 }));

        Assert.True((bool)body["truncated"]!);
        Assert.Equal(maxSource, body["sourceTokens"]!.AsArray().Count);
        Assert.True((int)body["inputTokenCount"]! > maxSource);
    }

    [Fact]
    public async Task Batch_returns_one_result_per_text_in_order_equal_to_single_requests()
    {
        using var client = await factory.CreateReadyClientAsync();
        string[] texts = [Http.SampleText, "Heavy rain closed three schools in the north of the county on Monday, the police said."];

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize/batch", new { texts, numBeams = 1, maxLength = 12 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await Http.ReadObjectAsync(response))["results"]!.AsArray();
        Assert.Equal(texts.Length, results.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = await Http.ReadObjectAsync(await ApiFactory.PostJsonAsync(client, "/summarize", new { text = texts[i], numBeams = 1, maxLength = 12 }));
            Assert.Equal((string)single["summary"]!, (string)results[i]!["summary"]!);
            Assert.True(JsonNode.DeepEquals(single["summaryTokens"], results[i]!["summaryTokens"]));
        }
    }
}
