using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>"mode": "extractive" on POST /summarize, /batch and /stream against the tiny bundle's sentence selector.</summary>
public sealed class ExtractiveTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>Six distinct sentences, so the selector has a choice and trigram blocking has nothing to block.</summary>
    public const string Article =
        "The city council voted on Tuesday to build a new bridge over the river. " +
        "The bridge will cost 20 million dollars and is expected to open in 2028, officials said. " +
        "Residents have asked for a crossing for more than a decade. " +
        "Ferry operators warned that they could lose most of their passengers. " +
        "Construction is due to start next spring near the old mill. " +
        "The mayor called the vote a historic day for the region.";

    /// <summary>Checks everything an extractive response promises about itself and returns its extracted sentences' indexes.</summary>
    public static List<int> AssertExtractive(JsonObject body, string text, int sentenceCount, string order = "offset", bool sentenceMap = true)
    {
        Assert.Equal("extractive", (string)body["mode"]!);
        var sourceSentences = body["sourceSentences"]!.AsArray();
        var extracted = body["extracted"]!.AsArray();
        Assert.InRange(extracted.Count, 1, Math.Min(sentenceCount, sourceSentences.Count));
        var indexes = extracted.Select(e => (int)e!["index"]!).ToList();
        Assert.Equal(indexes.Count, indexes.Distinct().Count());

        // The summary is the taken sentences as written, one space apart; each span points at its source sentence.
        var parts = new List<string>();
        foreach (var e in extracted)
        {
            var source = sourceSentences[(int)e!["index"]!]!;
            Assert.True((bool)source["read"]!, "a sentence the model did not read was extracted");
            Assert.Equal((int)source["start"]!, (int)e["start"]!);
            Assert.Equal((int)source["end"]!, (int)e["end"]!);
            Assert.InRange((double)e["score"]!, 0, 1);
            parts.Add(text[(int)e["start"]!..(int)e["end"]!]);
        }
        var summary = (string)body["summary"]!;
        Assert.Equal(string.Join(' ', parts), summary);

        // Ranks 1..n; offset order reads in the text's order, rank order best first.
        var ranks = extracted.Select(e => (int)e!["rank"]!).ToList();
        Assert.Equal(Enumerable.Range(1, extracted.Count), ranks.Order());
        if (order == "offset")
            Assert.Equal(indexes.Order(), indexes);
        else
            Assert.Equal(Enumerable.Range(1, extracted.Count), ranks);
        var byRank = extracted.OrderBy(e => (int)e!["rank"]!).Select(e => (double)e!["score"]!).ToList();
        Assert.Equal(byRank.OrderByDescending(s => s), byRank);

        // Each summary sentence is one taken sentence, its only source itself.
        var sentences = body["sentences"]!.AsArray();
        Assert.Equal(extracted.Count, sentences.Count);
        for (var k = 0; k < sentences.Count; k++)
        {
            Assert.Equal(parts[k], summary[(int)sentences[k]!["start"]!..(int)sentences[k]!["end"]!]);
            var source = Assert.Single(sentences[k]!["sources"]!.AsArray())!;
            Assert.Equal(indexes[k], (int)source["index"]!);
            Assert.Equal(1.0, (double)source["share"]!, 5);
        }

        // No token attention; the sentence map is [summary sentences][every source sentence].
        Assert.True(body.ContainsKey("attention"));
        Assert.Null(body["attention"]);
        if (sentenceMap)
        {
            var map = body["sentenceAttention"]!;
            Assert.Equal("selector", (string)map["kind"]!);
            var weights = map["weights"]!.AsArray();
            Assert.Equal(extracted.Count, weights.Count);
            Assert.All(weights, row => Assert.Equal(sourceSentences.Count, row!.AsArray().Count));
            for (var j = 0; j < sourceSentences.Count; j++)
                if (!(bool)sourceSentences[j]!["read"]!)
                    Assert.All(weights, row => Assert.Equal(0.0, (double)row![j]!));
        }
        else
        {
            Assert.False(body.ContainsKey("sentenceAttention"));
        }

        // The options echoed are the extractive ones, not decoding options it could not use.
        Assert.False(body.ContainsKey("options"));
        Assert.Equal(sentenceCount, (int)body["extractive"]!["sentenceCount"]!);
        Assert.Equal(order, (string)body["extractive"]!["sentenceOrder"]!);
        return indexes;
    }

    private static async Task<JsonObject> PostOkAsync(HttpClient client, string path, object request)
    {
        using var response = await ApiFactory.PostJsonAsync(client, path, request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Extractive_summary_is_the_selected_sentences_as_written_in_text_order_with_the_sentence_map()
    {
        using var client = await factory.CreateReadyClientAsync();
        var info = await Http.ReadObjectAsync(await client.GetAsync("/info"));
        var defaultCount = (int)info["extractiveDefaults"]!["sentenceCount"]!;

        var body = await PostOkAsync(client, "/summarize", new { text = Article, mode = "extractive" });

        var indexes = AssertExtractive(body, Article, defaultCount);
        Assert.Equal(6, body["sourceSentences"]!.AsArray().Count);
        Assert.Equal(Math.Min(defaultCount, 6), indexes.Count); // distinct sentences: nothing for trigram blocking to skip
        Assert.False((bool)body["truncated"]!);
        // Its tokens are the taken sentences' source tokens, re-spanned into the summary.
        var summary = (string)body["summary"]!;
        Assert.All(body["summaryTokens"]!.AsArray(), t =>
            Assert.Equal((string)t!["text"]!, summary[(int)t["start"]!..(int)t["end"]!], ignoreCase: true));
    }

    [Fact]
    public async Task Rank_order_takes_the_same_sentences_best_first_and_mode_is_case_insensitive()
    {
        using var client = await factory.CreateReadyClientAsync();

        var byOffset = await PostOkAsync(client, "/summarize", new { text = Article, mode = "extractive", sentenceCount = 4 });
        var byRank = await PostOkAsync(client, "/summarize", new { text = Article, mode = "Extractive", sentenceCount = 4, sentenceOrder = "RANK" });

        var offsetIndexes = AssertExtractive(byOffset, Article, 4);
        var rankIndexes = AssertExtractive(byRank, Article, 4, order: "rank");
        Assert.Equal(offsetIndexes.Order(), rankIndexes.Order());
        // The same sentences with the same scores and ranks, only in another order.
        var offsetRanks = byOffset["extracted"]!.AsArray().ToDictionary(e => (int)e!["index"]!, e => (int)e!["rank"]!);
        Assert.All(byRank["extracted"]!.AsArray(), e => Assert.Equal(offsetRanks[(int)e!["index"]!], (int)e["rank"]!));
    }

    [Fact]
    public async Task SentenceCount_caps_the_sentences_and_attention_none_leaves_the_sentence_map_out()
    {
        using var client = await factory.CreateReadyClientAsync();

        var one = await PostOkAsync(client, "/summarize", new { text = Article, mode = "extractive", sentenceCount = 1, attention = "none" });
        var full = await PostOkAsync(client, "/summarize", new { text = Article, mode = "extractive", sentenceCount = 1, attention = "full" });

        Assert.Single(AssertExtractive(one, Article, 1, sentenceMap: false));
        Assert.Single(AssertExtractive(full, Article, 1));
        // attention changes what is shown, not what is chosen: the one sentence is the best-scored of all.
        Assert.Equal((string)one["summary"]!, (string)full["summary"]!);
        Assert.Equal(1, (int)one["extracted"]![0]!["rank"]!);
    }

    [Fact]
    public async Task Abstractive_responses_say_their_mode_and_carry_no_extractive_fields()
    {
        using var client = await factory.CreateReadyClientAsync();

        var body = await PostOkAsync(client, "/summarize", new { text = Article, mode = "abstractive", numBeams = 1, maxLength = 8 });

        Assert.Equal("abstractive", (string)body["mode"]!);
        Assert.Equal(1, (int)body["options"]!["numBeams"]!);
        foreach (var key in new[] { "extracted", "sentenceAttention", "extractive" })
            Assert.False(body.ContainsKey(key), key);
        Assert.Equal("copy", (string)body["attention"]!["kind"]!);
    }

    [Fact]
    public async Task Batch_takes_mode_extractive_for_every_text_as_single_requests_do()
    {
        using var client = await factory.CreateReadyClientAsync();
        string[] texts = [Article, Http.SampleText];

        var results = (await PostOkAsync(client, "/summarize/batch", new { texts, mode = "extractive", sentenceCount = 2 }))["results"]!.AsArray();

        Assert.Equal(texts.Length, results.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            AssertExtractive(results[i]!.AsObject(), texts[i], 2);
            var single = await PostOkAsync(client, "/summarize", new { text = texts[i], mode = "extractive", sentenceCount = 2 });
            Assert.Equal((string)single["summary"]!, (string)results[i]!["summary"]!);
            Assert.True(JsonNode.DeepEquals(single["extracted"], results[i]!["extracted"]));
        }
    }

    [Fact]
    public async Task Stream_sends_start_then_one_sentence_event_per_summary_sentence_then_done()
    {
        using var client = await factory.CreateReadyClientAsync();
        var request = new { text = Article, mode = "extractive", sentenceCount = 3 };

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize/stream", request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync()).Where(e => e.Name is not null).ToList();
        var done = events[^1].Data!.AsObject();
        AssertExtractive(done, Article, 3);
        var extracted = done["extracted"]!.AsArray();
        Assert.Equal(["start", .. Enumerable.Repeat("sentence", extracted.Count), "done"], events.Select(e => e.Name));

        var start = events[0].Data!;
        Assert.Equal("extractive", (string)start["mode"]!);
        Assert.Null(start["options"]);
        Assert.Equal(3, (int)start["extractive"]!["sentenceCount"]!);
        Assert.True(JsonNode.DeepEquals(start["sourceTokens"], done["sourceTokens"]));
        var summary = (string)done["summary"]!;
        for (var k = 0; k < extracted.Count; k++)
        {
            var data = events[1 + k].Data!;
            Assert.Equal(k, (int)data["index"]!);
            Assert.True(JsonNode.DeepEquals(extracted[k], data["extracted"]), $"{extracted[k]} vs {data["extracted"]}");
            Assert.Equal((int)done["sentences"]![k]!["start"]!, (int)data["start"]!);
            Assert.Equal(summary[(int)data["start"]!..(int)data["end"]!], (string)data["text"]!);
            Assert.Equal(Article[(int)extracted[k]!["start"]!..(int)extracted[k]!["end"]!], (string)data["text"]!);
            Assert.True(JsonNode.DeepEquals(done["sentenceAttention"]!["weights"]![k], data["attention"]));
        }

        // The done event is what POST /summarize answers for the same request.
        var plain = await PostOkAsync(client, "/summarize", request);
        Assert.Equal(plain.Select(p => p.Key), done.Select(p => p.Key));
        foreach (var key in plain.Select(p => p.Key).Where(k => k != "timings"))
            Assert.True(JsonNode.DeepEquals(plain[key], done[key]), $"{key}: {plain[key]} vs {done[key]}");
    }

    [Fact]
    public async Task Streamed_sentence_events_leave_the_attention_row_out_for_attention_none()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize/stream", new { text = Article, mode = "extractive", attention = "none" });

        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync()).Where(e => e.Name is not null).ToList();
        var sentences = events.Where(e => e.Name == "sentence").ToList();
        Assert.NotEmpty(sentences);
        Assert.All(sentences, e => Assert.False(e.Data!.AsObject().ContainsKey("attention")));
        Assert.False(events[^1].Data!.AsObject().ContainsKey("sentenceAttention"));
    }

    [Fact]
    public async Task Info_says_the_model_has_an_extractive_mode_with_its_default_and_largest_sentence_count()
    {
        using var client = await factory.CreateReadyClientAsync();

        var info = await Http.ReadObjectAsync(await client.GetAsync("/info"));

        Assert.Equal(["abstractive", "extractive"], info["modes"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(["offset", "rank"], info["sentenceOrderValues"]!.AsArray().Select(m => (string)m!));
        var bundleDefault = (int)JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.TinyBundle, "config.json")))!["selector"]!["sentence_count"]!;
        Assert.Equal(bundleDefault, (int)info["extractiveDefaults"]!["sentenceCount"]!);
        Assert.Equal("offset", (string)info["extractiveDefaults"]!["sentenceOrder"]!);
        var range = info["optionRanges"]!["sentenceCount"]!;
        Assert.Equal(1, (double)range["min"]!);
        Assert.Equal(Inference.ExtractiveOptions.MaxSentenceCount, (double)range["max"]!);
        Assert.Equal(bundleDefault, (double)range["default"]!);
    }

    [Fact]
    public async Task Swagger_documents_mode_sentenceCount_sentenceOrder_extracted_and_sentenceAttention_with_a_request_example_per_mode()
    {
        using var client = await factory.CreateReadyClientAsync();

        var doc = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;

        var schemas = doc["components"]!["schemas"]!;
        var request = schemas["SummarizeRequest"]!["properties"]!;
        foreach (var field in new[] { "mode", "sentenceCount", "sentenceOrder" })
        {
            Assert.False(string.IsNullOrEmpty((string?)request[field]!["description"]), field);
            Assert.NotNull(request[field]!["example"]);
        }
        Assert.Equal(Inference.ExtractiveOptions.MaxSentenceCount, (int)request["sentenceCount"]!["maximum"]!);
        var response = schemas["SummarizeResponse"]!["properties"]!;
        foreach (var field in new[] { "mode", "extracted", "sentenceAttention", "extractive" })
        {
            // A property that refers to another schema is described there (OpenAPI 3.0 puts nothing beside a $ref).
            var schema = response[field]!["$ref"] is { } reference ? schemas[((string)reference!).Split('/')[^1]]! : response[field]!;
            Assert.False(string.IsNullOrEmpty((string?)schema["description"]), field);
        }
        Assert.NotNull(schemas["ExtractedSentence"]!["properties"]!["rank"]!["description"]);
        foreach (var path in new[] { "/summarize", "/summarize/batch", "/summarize/stream" })
        {
            var examples = doc["paths"]![path]!["post"]!["requestBody"]!["content"]!["application/json"]!["examples"]!;
            Assert.Equal("extractive", (string)examples["extractive"]!["value"]!["mode"]!);
            Assert.Null(examples["extractive"]!["value"]!["numBeams"]); // a valid request: no decoding option with extractive mode
            Assert.Equal("abstractive", (string)examples["abstractive"]!["value"]!["mode"]!);
        }
    }

    [Fact]
    public async Task Real_server_on_loopback_serves_extractive_summaries_and_streams()
    {
        using var real = new ApiFactory();
        real.UseKestrel();
        real.StartServer();
        var address = real.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        await ApiFactory.WaitUntilReadyAsync(client);

        using var ok = await client.PostAsJsonAsync("/summarize", new { text = Article, mode = "extractive", sentenceCount = 2 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        AssertExtractive(await Http.ReadObjectAsync(ok), Article, 2);

        using var stream = await client.PostAsJsonAsync("/summarize/stream", new { text = Article, mode = "extractive", sentenceCount = 2 });
        var names = SseEvent.ParseAll(await stream.Content.ReadAsStringAsync()).Where(e => e.Name is not null).Select(e => e.Name).ToList();
        Assert.Equal("start", names[0]);
        Assert.Equal("done", names[^1]);
        Assert.InRange(names.Count(n => n == "sentence"), 1, 2);
        Assert.DoesNotContain("token", names);
    }
}
