using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Summarizer.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Summarizer.Api.Tests;

/// <summary>
/// The extractive mode's refusals (400 problem+json naming the field, and the service keeps serving) and hostile texts
/// (a sensible 200 or a clear 4xx).
/// </summary>
public sealed class ExtractiveErrorTests(ApiFactory factory, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private static readonly string[] Paths = ["/summarize", "/summarize/batch", "/summarize/stream"];

    // The same request fields on each endpoint: the batch takes "texts".
    private static string Body(string path, string fields) => path.EndsWith("/batch", StringComparison.Ordinal)
        ? $"{{\"texts\": [\"{Http.SampleText}\"], {fields}}}"
        : $"{{\"text\": \"{Http.SampleText}\", {fields}}}";

    private async Task AssertRefusedAsync(HttpClient client, string fields, string field, string because)
    {
        foreach (var path in Paths)
        {
            using var response = await Http.PostJsonTextAsync(client, path, Body(path, fields));
            var problem = await Http.AssertProblemAsync(response, 400);
            var errors = problem["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(field), $"{path} {fields}: {problem}");
            Assert.Contains(because, (string)errors[field]![0]!, StringComparison.OrdinalIgnoreCase);
        }
        // The service keeps serving.
        using var ok = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, mode = "extractive" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData("\"mode\": \"summary\"")]
    [InlineData("\"mode\": \"\"")]
    [InlineData("\"mode\": \"extract\"")]
    public async Task Unknown_mode_is_400_naming_mode_and_listing_the_modes(string fields)
    {
        using var client = await factory.CreateReadyClientAsync();
        await AssertRefusedAsync(client, fields, "mode", "\"extractive\"");
    }

    [Theory]
    [InlineData("\"sentenceCount\": 2", "sentenceCount")]
    [InlineData("\"mode\": \"abstractive\", \"sentenceCount\": 2", "sentenceCount")]
    [InlineData("\"mode\": \"abstractive\", \"sentenceCount\": 99", "sentenceCount")]
    [InlineData("\"sentenceOrder\": \"rank\"", "sentenceOrder")]
    [InlineData("\"mode\": \"ABSTRACTIVE\", \"sentenceOrder\": \"offset\"", "sentenceOrder")]
    public async Task Extractive_options_with_the_abstractive_mode_are_400_naming_them(string fields, string field)
    {
        using var client = await factory.CreateReadyClientAsync();
        await AssertRefusedAsync(client, fields, field, "applies to mode \"extractive\" only");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(21)]
    [InlineData(int.MaxValue)]
    public async Task SentenceCount_out_of_range_is_400_naming_it_and_its_range(int count)
    {
        using var client = await factory.CreateReadyClientAsync();
        await AssertRefusedAsync(client, $"\"mode\": \"extractive\", \"sentenceCount\": {count}", "sentenceCount", "1..20");
    }

    [Theory]
    [InlineData("random")]
    [InlineData("1")]
    [InlineData("Offset ")]
    public async Task Unknown_sentence_order_is_400_naming_it_and_listing_the_orders(string order)
    {
        using var client = await factory.CreateReadyClientAsync();
        await AssertRefusedAsync(client, $"\"mode\": \"extractive\", \"sentenceOrder\": \"{order}\"", "sentenceOrder", "\"offset\", \"rank\"");
    }

    [Theory]
    [InlineData("numBeams", "2")]
    [InlineData("numBeams", "99")] // out of range too: the mode is the mistake to name
    [InlineData("maxLength", "10")]
    [InlineData("minLength", "1")]
    [InlineData("lengthPenalty", "1.0")]
    [InlineData("noRepeatNgramSize", "3")]
    [InlineData("earlyStopping", "true")]
    [InlineData("grounded", "false")]
    [InlineData("noRepeatWordNgramSize", "2")]
    [InlineData("maxWordRepeats", "2")]
    [InlineData("sourcePhraseBonus", "1")]
    public async Task A_decoding_option_with_the_extractive_mode_is_400_naming_it(string option, string value)
    {
        using var client = await factory.CreateReadyClientAsync();
        await AssertRefusedAsync(client, $"\"mode\": \"extractive\", \"{option}\": {value}", option, "extractive mode does not decode");
    }

    [Fact]
    public async Task Every_bad_field_of_one_request_is_named_at_once()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize",
            new { text = Http.SampleText, mode = "extractive", sentenceCount = 0, sentenceOrder = "best", numBeams = 2, attention = "all" });

        var errors = (await Http.AssertProblemAsync(response, 400))["errors"]!.AsObject();
        Assert.Equal(["attention", "numBeams", "sentenceCount", "sentenceOrder"], errors.Select(e => e.Key).Order());
    }

    [Fact]
    public async Task A_sentence_count_of_the_wrong_json_type_is_400_naming_it()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await Http.PostJsonTextAsync(client, "/summarize", Body("/summarize", "\"mode\": \"extractive\", \"sentenceCount\": \"three\""));

        Assert.Contains("sentenceCount", (string)(await Http.AssertProblemAsync(response, 400))["detail"]!);
    }

    [Fact]
    public async Task Extractive_mode_on_a_model_without_a_sentence_selector_is_400_naming_mode_and_info_says_so()
    {
        var bundle = Directory.CreateTempSubdirectory("no-selector-");
        try
        {
            foreach (var file in Directory.GetFiles(TestPaths.TinyBundle))
                File.Copy(file, Path.Combine(bundle.FullName, Path.GetFileName(file)));
            var configPath = Path.Combine(bundle.FullName, "config.json");
            var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
            Assert.True(config.Remove("selector"));
            File.WriteAllText(configPath, config.ToJsonString());
            using var plain = new ApiFactory();
            plain.Settings["Summarizer:ModelPath"] = bundle.FullName;
            using var client = await plain.CreateReadyClientAsync();

            await AssertRefusedWithoutSelectorAsync(client);

            var info = await Http.ReadObjectAsync(await client.GetAsync("/info"));
            Assert.Equal(["abstractive"], info["modes"]!.AsArray().Select(m => (string)m!));
            Assert.Null(info["extractiveDefaults"]);
            Assert.False(info["optionRanges"]!.AsObject().ContainsKey("sentenceCount"));
            // Content selection needs the selector too: only 0 (the whole text) is accepted, and /info says so.
            Assert.Equal(0, (int)info["optionRanges"]!["selectSentences"]!["max"]!);
            using (var refused = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, selectSentences = 2 }))
                Assert.Contains("no sentence selector", (string)(await Http.AssertProblemAsync(refused, 400))["errors"]!["selectSentences"]![0]!);
            Assert.Equal(0, (double)info["optionRanges"]!["copySalience"]!["max"]!);
            using (var refused = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, copySalience = 1.0 }))
                Assert.Contains("no sentence selector", (string)(await Http.AssertProblemAsync(refused, 400))["errors"]!["copySalience"]![0]!);
            // The abstractive mode is served as before.
            using var ok = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, numBeams = 1, maxLength = 6 });
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("abstractive", (string)(await Http.ReadObjectAsync(ok))["mode"]!);
        }
        finally
        {
            bundle.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(21)]
    public async Task SelectSentences_out_of_range_is_400_naming_it(int count)
    {
        using var client = await factory.CreateReadyClientAsync();
        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, selectSentences = count });
        Assert.Contains("0..20", (string)(await Http.AssertProblemAsync(response, 400))["errors"]!["selectSentences"]![0]!);
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(9)]
    public async Task CopySalience_out_of_range_is_400_naming_it(double salience)
    {
        using var client = await factory.CreateReadyClientAsync();
        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, copySalience = salience });
        Assert.Contains("0..8", (string)(await Http.AssertProblemAsync(response, 400))["errors"]!["copySalience"]![0]!);
    }

    [Fact]
    public async Task CopySalience_is_echoed_in_the_options_and_info_states_its_range()
    {
        using var client = await factory.CreateReadyClientAsync();
        var info = await Http.ReadObjectAsync(await client.GetAsync("/info"));
        Assert.Equal(8, (double)info["optionRanges"]!["copySalience"]!["max"]!);
        using var response = await ApiFactory.PostJsonAsync(client, "/summarize",
            new { text = ExtractiveTests.Article, copySalience = 2.0, numBeams = 1, maxLength = 8 });
        var body = await Http.ReadObjectAsync(response);
        Assert.Equal(2.0, (double)body["options"]!["copySalience"]!);
        foreach (var row in body["attention"]!["weights"]!.AsArray())
            Assert.Equal(1.0, row!.AsArray().Sum(w => (double)w!), 3);
    }

    [Fact]
    public async Task SelectSentences_makes_the_decoder_read_only_the_selected_sentences_and_info_states_its_range()
    {
        using var client = await factory.CreateReadyClientAsync();
        var info = await Http.ReadObjectAsync(await client.GetAsync("/info"));
        Assert.Equal(20, (int)info["optionRanges"]!["selectSentences"]!["max"]!);

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize",
            new { text = ExtractiveTests.Article, selectSentences = 1, numBeams = 1, maxLength = 8 });
        var body = await Http.ReadObjectAsync(response);
        Assert.Equal(1, (int)body["options"]!["selectSentences"]!);
        var tokens = body["sourceTokens"]!.AsArray();
        var sentences = body["sourceSentences"]!.AsArray();
        var attended = new HashSet<int>();
        foreach (var row in body["attention"]!["weights"]!.AsArray())
            foreach (var (w, j) in row!.AsArray().Select((w, j) => ((double)w!, j)))
                if (w > 0)
                    attended.Add(sentences.Select((x, i) => (x, i)).Last(x => (int)x.x!["start"]! <= (int)tokens[j]!["start"]!).i);
        Assert.Single(attended); // one sentence of six was read
    }

    private static async Task AssertRefusedWithoutSelectorAsync(HttpClient client)
    {
        foreach (var path in Paths)
        {
            using var response = await Http.PostJsonTextAsync(client, path, Body(path, "\"mode\": \"extractive\""));
            var message = (string)(await Http.AssertProblemAsync(response, 400))["errors"]!["mode"]![0]!;
            Assert.Contains("no sentence selector", message);
        }
    }

    // ---- hostile texts ------------------------------------------------------------------------------------------

    private async Task<JsonObject> ExtractAsync(HttpClient client, string text, int? sentenceCount = null)
    {
        var clock = Stopwatch.StartNew();
        using var response = await ApiFactory.PostJsonAsync(client, "/summarize",
            sentenceCount is { } n ? new { text, mode = "extractive", sentenceCount = n } : (object)new { text, mode = "extractive" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var result = JsonNode.Parse(body)!.AsObject();
        output.WriteLine($"{text.Length} chars, {result["sourceSentences"]!.AsArray().Count} sentences: {clock.ElapsedMilliseconds} ms " +
            $"(model {(double)result["timings"]!["totalMs"]!:0} ms)");
        return result;
    }

    private async Task<int> DefaultCountAsync(HttpClient client) =>
        (int)(await Http.ReadObjectAsync(await client.GetAsync("/info")))["extractiveDefaults"]!["sentenceCount"]!;

    [Fact]
    public async Task One_sentence_is_the_whole_summary()
    {
        using var client = await factory.CreateReadyClientAsync();
        const string text = "  The council voted on Tuesday to build a new bridge over the river.  ";

        var body = await ExtractAsync(client, text);

        ExtractiveTests.AssertExtractive(body, text, await DefaultCountAsync(client));
        Assert.Equal(text.Trim(), (string)body["summary"]!);
    }

    [Fact]
    public async Task Text_without_sentence_punctuation_is_one_sentence()
    {
        using var client = await factory.CreateReadyClientAsync();
        const string text = "the council voted on tuesday to build a new bridge over the river and residents who asked for it for a decade cheered";

        var body = await ExtractAsync(client, text);

        ExtractiveTests.AssertExtractive(body, text, await DefaultCountAsync(client));
        Assert.Single(body["sourceSentences"]!.AsArray());
        Assert.Equal(text, (string)body["summary"]!);
    }

    [Fact]
    public async Task A_sentence_count_larger_than_the_text_has_returns_every_sentence()
    {
        using var client = await factory.CreateReadyClientAsync();

        var body = await ExtractAsync(client, ExtractiveTests.Article, 20);

        var indexes = ExtractiveTests.AssertExtractive(body, ExtractiveTests.Article, 20);
        Assert.Equal(Enumerable.Range(0, 6), indexes);
        Assert.Equal(ExtractiveTests.Article, (string)body["summary"]!);
    }

    [Fact]
    public async Task Headlines_and_bullet_lists_are_split_at_line_breaks()
    {
        using var client = await factory.CreateReadyClientAsync();
        const string text = "Storm hits the coast overnight\nSchools closed in three towns\n\n- Power cut to 20,000 homes\n" +
            "- Roads flooded near the river\n* Rail services suspended until Friday\n• Shelters open in the town hall";

        var body = await ExtractAsync(client, text, 3);

        ExtractiveTests.AssertExtractive(body, text, 3);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length, body["sourceSentences"]!.AsArray().Count);
        Assert.All(body["extracted"]!.AsArray(), e => Assert.Contains(text[(int)e!["start"]!..(int)e["end"]!], lines));
    }

    [Fact]
    public async Task Thousands_of_short_sentences_are_answered_and_the_service_keeps_serving()
    {
        using var client = await factory.CreateReadyClientAsync();
        var limit = (int)(await Http.ReadObjectAsync(await client.GetAsync("/info")))["limits"]!["maxTextChars"]!;
        var text = string.Join(' ', Enumerable.Repeat("Go.", 3000));
        Assert.True(text.Length <= limit, "the text must stay under Summarizer:MaxTextChars");

        var body = await ExtractAsync(client, text, 20);

        ExtractiveTests.AssertExtractive(body, text, 20);
        var sentences = body["sourceSentences"]!.AsArray();
        Assert.Equal(3000, sentences.Count);
        Assert.True((bool)body["truncated"]!);
        Assert.Contains(sentences, s => !(bool)s!["read"]!);
        using var ok = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, numBeams = 1, maxLength = 6 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Text_past_the_encoders_window_says_which_sentences_were_out_of_reach_and_extracts_none_of_them()
    {
        using var client = await factory.CreateReadyClientAsync();
        var text = string.Join(' ', Enumerable.Range(1, 120).Select(i =>
            $"Report {i} says the council met on day {i} to discuss bridge number {i * 7}."));

        var body = await ExtractAsync(client, text, 20);

        ExtractiveTests.AssertExtractive(body, text, 20); // every extracted sentence was read, unread columns are 0
        Assert.True((bool)body["truncated"]!);
        var read = body["sourceSentences"]!.AsArray().Select(s => (bool)s!["read"]!).ToList();
        Assert.Equal(120, read.Count);
        Assert.True(read[0]);
        Assert.False(read[^1]);
        // Read sentences come first, then the unread tail.
        Assert.Equal(read.OrderByDescending(r => r), read);
        var lastRead = read.LastIndexOf(true);
        Assert.All(body["extracted"]!.AsArray(), e => Assert.InRange((int)e!["index"]!, 0, lastRead));
        Assert.InRange(body["extracted"]!.AsArray().Count, 1, 20);
    }

    [Theory]
    [InlineData("!!! ??? ...")]
    [InlineData("\u200b\u200b\u200b")]
    [InlineData("🙂🙂🙂. 🙂🙂.")]
    public async Task Text_without_words_is_a_sensible_answer_or_a_400_naming_text(string text)
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text, mode = "extractive" });

        if (response.StatusCode == HttpStatusCode.OK)
            ExtractiveTests.AssertExtractive(await Http.ReadObjectAsync(response), text, await DefaultCountAsync(client));
        else
            Assert.NotNull((await Http.AssertProblemAsync(response, 400))["errors"]!["text"]);
        using var ok = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, mode = "extractive" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
