using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Summarizer.Web.Tests;

/// <summary>The page's modes in real headless Chromium against the real API and the tiny fixture model (which has a sentence selector).</summary>
public sealed partial class SummarizerPageTests
{
    private const string SourceSentences = "[data-testid=source-sentence]";

    /// <summary>What the decoding options are called in a request: the extractive mode refuses every one of them.</summary>
    private static readonly string[] DecodingOptionNames =
        ["numBeams", "maxLength", "minLength", "lengthPenalty", "noRepeatNgramSize", "grounded", "selectSentences", "copySalience"];

    /// <summary>The form's decoding fields (disabled in extractive mode).</summary>
    private static readonly string[] DecodingFieldIds = ["opt-beams", "opt-max", "opt-min", "opt-grounded", "opt-select", "opt-salience", "opt-penalty", "opt-ngram"];

    [Fact]
    public async Task Extractive_mode_highlights_the_taken_sentences_whose_text_is_the_summary()
    {
        using var info = await InfoAsync();
        var defaults = info.RootElement.GetProperty("extractiveDefaults");
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("mode-extractive").CheckAsync();

        var (done, body) = await SummarizeExtractiveAsync(page);

        // The request says the mode and its options and leaves out every decoding option (the API would refuse it).
        Assert.Equal("extractive", body["mode"]!.GetValue<string>());
        Assert.Equal(defaults.GetProperty("sentenceCount").GetInt32(), body["sentenceCount"]!.GetValue<int>());
        Assert.Equal(defaults.GetProperty("sentenceOrder").GetString(), body["sentenceOrder"]!.GetValue<string>());
        foreach (var name in DecodingOptionNames) Assert.False(body.ContainsKey(name), $"The extractive request sent the decoding option {name}.");
        Assert.Equal("extractive", done.GetProperty("mode").GetString());

        var summary = done.GetProperty("summary").GetString()!;
        Assert.Equal(summary, await page.GetByTestId("summary").TextContentAsync());
        var extracted = done.GetProperty("extracted").EnumerateArray().ToArray();
        Assert.Equal(defaults.GetProperty("sentenceCount").GetInt32(), extracted.Length);

        // The highlighted source sentences are exactly the taken ones, and (offset order) their text joined is the summary.
        var taken = page.Locator($"{SourceSentences}.taken");
        var takenIndexes = (await taken.EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.index))")).ToArray();
        Assert.Equal(extracted.Select(e => e.GetProperty("index").GetInt32()).Order().ToArray(), takenIndexes);
        var takenTexts = await taken.AllTextContentsAsync();
        Assert.Equal(summary, string.Join(" ", takenTexts));
        var text = await page.GetByTestId("source-input").InputValueAsync();
        foreach (var e in extracted)
        {
            int index = e.GetProperty("index").GetInt32(), rank = e.GetProperty("rank").GetInt32();
            var span = page.Locator($"{SourceSentences}[data-index='{index}']");
            Assert.Equal(text[e.GetProperty("start").GetInt32()..e.GetProperty("end").GetInt32()], await span.TextContentAsync());
            Assert.Equal(rank.ToString(CultureInfo.InvariantCulture), await span.GetAttributeAsync("data-rank"));
            Assert.Contains($"rank {rank}", await span.GetAttributeAsync("title"));
            // Score and rank are visible on the badge before the sentence.
            var badge = page.Locator($"[data-testid=rank-badge][data-index='{index}']");
            Assert.True(await badge.IsVisibleAsync());
            Assert.Contains($"#{rank} · {e.GetProperty("score").GetDouble().ToString("F3", CultureInfo.InvariantCulture)}", await badge.TextContentAsync());
        }
        Assert.Equal(extracted.Length, await page.GetByTestId("rank-badge").CountAsync());
        // Every source sentence is shown, and a taken one is shaded while the others are not.
        Assert.Equal(done.GetProperty("sourceSentences").GetArrayLength(), await page.Locator(SourceSentences).CountAsync());
        var notTaken = page.Locator($"{SourceSentences}:not(.taken)").First;
        Assert.NotEqual(await notTaken.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"),
            await taken.First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

        // Summary sentences name their source sentence; the page says what the mode did.
        var sentences = done.GetProperty("sentences").EnumerateArray().ToArray();
        var shown = await page.GetByTestId("summary-sentence").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.source))");
        Assert.Equal(sentences.Select(s => s.GetProperty("sources")[0].GetProperty("index").GetInt32()).ToArray(), shown);
        Assert.StartsWith("Extractive", await page.GetByTestId("grounding-note").TextContentAsync());
        Assert.Contains($"{extracted.Length} sentences taken", await page.GetByTestId("summary-meta").TextContentAsync());
        Assert.True(await page.GetByTestId("taken-legend").IsVisibleAsync());
    }

    [Fact]
    public async Task Extractive_sentence_heatmap_has_a_row_per_summary_sentence_and_a_column_per_source_sentence()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("mode-extractive").CheckAsync();
        var (done, _) = await SummarizeExtractiveAsync(page);

        var weights = Matrix(done.GetProperty("sentenceAttention").GetProperty("weights"));
        var summarySentences = done.GetProperty("sentences").GetArrayLength();
        var sourceSentences = done.GetProperty("sourceSentences").GetArrayLength();
        Assert.Equal("selector", done.GetProperty("sentenceAttention").GetProperty("kind").GetString());
        Assert.True(sourceSentences > summarySentences, "The sample article should have more sentences than the summary takes.");

        var heatmap = page.GetByTestId("sentence-heatmap");
        Assert.True(await heatmap.IsVisibleAsync());
        Assert.Equal(summarySentences, await heatmap.Locator("[data-testid=heat-row]").CountAsync());
        Assert.Equal(sourceSentences, await heatmap.Locator("[data-testid=heat-column]").CountAsync());
        for (var k = 0; k < summarySentences; k++)
        {
            var cells = heatmap.Locator($"[data-testid=heat-row][data-index='{k}'] [data-testid=heat-cell]");
            var shown = await cells.EvaluateAllAsync<double[]>("els => els.map(e => Number(e.dataset.weight))");
            Assert.Equal(sourceSentences, shown.Length);
            for (var j = 0; j < sourceSentences; j++) Assert.Equal(weights[k][j], shown[j], 1e-6);
            // The cell of the sentence taken for this row is marked, and only that one.
            var own = await cells.EvaluateAllAsync<int[]>("els => els.filter(e => e.classList.contains('own')).map(e => Number(e.dataset.column))");
            Assert.Equal(new[] { done.GetProperty("sentences")[k].GetProperty("sources")[0].GetProperty("index").GetInt32() }, own);
            // The row's heaviest weight is its darkest cell.
            var colours = (await cells.EvaluateAllAsync<string[]>("els => els.map(e => getComputedStyle(e).backgroundColor)")).Select(Luminance).ToArray();
            Assert.Equal(colours.Min(), colours[ArgMax(weights[k])], 6);
        }

        // The sentence map replaces the token heatmap: no source word shading, no per-head grid.
        Assert.Equal(0, await page.Locator(SourceTokens).CountAsync());
        Assert.False(await page.GetByTestId("attention-legend").IsVisibleAsync());
        Assert.False(await page.GetByTestId("head-grid").IsVisibleAsync());
        Assert.False(await page.GetByTestId("top-list").IsVisibleAsync());
        Assert.True(await page.GetByTestId("opt-view").IsDisabledAsync());
    }

    [Fact]
    public async Task Hovering_a_summary_sentence_outlines_exactly_its_source_sentence()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("mode-extractive").CheckAsync();
        var (done, _) = await SummarizeExtractiveAsync(page);
        var summary = done.GetProperty("summary").GetString()!;
        var sentences = done.GetProperty("sentences").EnumerateArray().ToArray();
        Assert.True(sentences.Length >= 2, "The fixture should take at least two sentences.");

        // Last first, so the first sentence's (selected on arrival) outline has to move.
        for (var k = sentences.Length - 1; k >= 0; k--)
        {
            var sentence = sentences[k];
            var own = sentence.GetProperty("sources")[0].GetProperty("index").GetInt32();
            await page.Locator($"[data-testid=summary-sentence][data-index='{k}']").HoverAsync();
            await page.Locator($"[data-testid=summary-sentence][data-index='{k}'].selected").WaitForAsync(new() { Timeout = 10_000 });

            var outlined = page.Locator(".prov");
            Assert.Equal(1, await outlined.CountAsync());
            Assert.Equal("source-sentence", await outlined.GetAttributeAsync("data-testid"));
            Assert.Equal(own.ToString(CultureInfo.InvariantCulture), await outlined.GetAttributeAsync("data-index"));
            Assert.Equal(summary[sentence.GetProperty("start").GetInt32()..sentence.GetProperty("end").GetInt32()], await outlined.TextContentAsync());
            Assert.NotEqual("none", await outlined.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
            await Assertions.Expect(page.GetByTestId("provenance")).ToHaveTextAsync(
                $"Summary sentence {k + 1} of {sentences.Length} is source sentence {own + 1}, as written (outlined in the source).",
                new() { Timeout = 10_000 });
            Assert.Contains("selected", await page.Locator($"[data-testid=heat-row][data-index='{k}']").GetAttributeAsync("class") ?? "");
            Assert.Equal(1, await page.Locator("[data-testid=heat-row].selected").CountAsync());
        }

        // The keyboard moves between sentences too, and the outline follows.
        await page.Locator("[data-testid=summary-sentence][data-index='0']").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.Equal("1", await page.EvaluateAsync<string>("document.activeElement.dataset.index"));
        Assert.Equal("true", await page.Locator("[data-testid=summary-sentence][data-index='1']").GetAttributeAsync("aria-selected"));
        Assert.Equal(sentences[1].GetProperty("sources")[0].GetProperty("index").GetInt32().ToString(CultureInfo.InvariantCulture),
            await page.Locator(".prov").GetAttributeAsync("data-index"));
        Assert.Equal(1, await page.Locator("[data-testid=summary-sentence][tabindex='0']").CountAsync());
    }

    [Fact]
    public async Task Extractive_mode_disables_the_decoding_fields_and_abstractive_restores_them()
    {
        using var info = await InfoAsync();
        var count = info.RootElement.GetProperty("optionRanges").GetProperty("sentenceCount");
        var page = await fixture.OpenPageAsync();
        await Assertions.Expect(page.GetByTestId("model-info")).ToContainTextAsync("decoder layers");

        Assert.True(await page.GetByTestId("mode-abstractive").IsCheckedAsync());
        Assert.False(await page.GetByTestId("opt-grounded").IsCheckedAsync());
        foreach (var id in DecodingFieldIds) Assert.True(await page.Locator($"#{id}").IsEnabledAsync(), $"{id} is disabled in abstractive mode.");
        Assert.False(await page.GetByTestId("opt-sentences").IsVisibleAsync());

        await page.GetByTestId("mode-extractive").CheckAsync();
        foreach (var id in DecodingFieldIds) Assert.True(await page.Locator($"#{id}").IsDisabledAsync(), $"{id} is enabled in extractive mode.");
        Assert.True(await page.GetByTestId("opt-view").IsDisabledAsync());
        Assert.True(await page.GetByTestId("opt-sentences").IsEnabledAsync());
        Assert.True(await page.GetByTestId("opt-order").IsEnabledAsync());
        // The count's range and default and the order's default come from /info.
        var sentences = page.GetByTestId("opt-sentences");
        Assert.Equal(count.GetProperty("min").GetInt32().ToString(CultureInfo.InvariantCulture), await sentences.GetAttributeAsync("min"));
        Assert.Equal(count.GetProperty("max").GetInt32().ToString(CultureInfo.InvariantCulture), await sentences.GetAttributeAsync("max"));
        Assert.Equal(info.RootElement.GetProperty("extractiveDefaults").GetProperty("sentenceCount").GetInt32().ToString(CultureInfo.InvariantCulture),
            await sentences.InputValueAsync());
        Assert.Equal(info.RootElement.GetProperty("extractiveDefaults").GetProperty("sentenceOrder").GetString(), await page.GetByTestId("opt-order").InputValueAsync());
        Assert.Contains("extractive mode does not decode", await page.GetByTestId("decoding-note").TextContentAsync());

        await page.GetByTestId("mode-abstractive").CheckAsync();
        foreach (var id in DecodingFieldIds) Assert.True(await page.Locator($"#{id}").IsEnabledAsync(), $"{id} stays disabled after going back to abstractive.");
        Assert.False(await page.GetByTestId("opt-sentences").IsVisibleAsync());
        // Grounding still switches the piece n-gram field off in abstractive mode.
        await page.GetByTestId("opt-grounded").CheckAsync();
        Assert.True(await page.GetByTestId("opt-ngram").IsDisabledAsync());
        Assert.True(await page.GetByTestId("opt-beams").IsEnabledAsync());
    }

    [Fact]
    public async Task Extractive_stream_adds_the_summary_sentences_one_by_one()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("mode-extractive").CheckAsync();
        await page.GetByTestId("opt-sentences").FillAsync("4");
        // Every childList mutation of the summary, in order: the indexes of the summary sentences each one added.
        await page.EvaluateAsync(@"() => {
            window.__added = [];
            new MutationObserver(records => {
              for (const r of records) {
                const added = [...r.addedNodes].filter(n => n.dataset?.testid === 'summary-sentence').map(n => Number(n.dataset.index));
                if (added.length) window.__added.push(added);
              }
            }).observe(document.getElementById('summary'), { childList: true });
          }");

        var (done, body, transcript) = await SummarizeExtractiveWithTranscriptAsync(page);

        Assert.Equal(4, body["sentenceCount"]!.GetValue<int>());
        var events = transcript.Events.Where(e => e.Name == "sentence").Select(e => e.Data).ToArray();
        Assert.Equal(4, events.Length);
        Assert.Equal(4, done.GetProperty("sentences").GetArrayLength());
        Assert.Equal(Enumerable.Range(0, 4), events.Select(e => e.GetProperty("index").GetInt32()));
        var added = await page.EvaluateAsync<int[][]>("() => window.__added");
        // One sentence per event while streaming (0, 1, 2, 3), then the final rendering of all four.
        Assert.True(added.Length >= 5, $"Summary mutations: {JsonSerializer.Serialize(added)}");
        for (var k = 0; k < 4; k++) Assert.Equal(new[] { k }, added[k]);
        Assert.Equal(new[] { 0, 1, 2, 3 }, added[^1]);
        // What each event said is what the page ended with.
        var summary = done.GetProperty("summary").GetString()!;
        foreach (var e in events)
            Assert.Equal(e.GetProperty("text").GetString(), summary[e.GetProperty("start").GetInt32()..e.GetProperty("end").GetInt32()]);
        Assert.Equal("4", await page.GetByTestId("summary").GetAttributeAsync("data-streamed"));
    }

    [Fact]
    public async Task Rank_order_lists_the_taken_sentences_best_first()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("mode-extractive").CheckAsync();
        await page.GetByTestId("opt-sentences").FillAsync("8");
        await page.GetByTestId("opt-order").SelectOptionAsync("rank");

        var (done, body) = await SummarizeExtractiveAsync(page);

        Assert.Equal("rank", body["sentenceOrder"]!.GetValue<string>());
        Assert.Equal(8, body["sentenceCount"]!.GetValue<int>());
        var ranks = page.Locator($"{SourceSentences}.taken");
        var byRank = (await ranks.EvaluateAllAsync<string[][]>("els => els.map(e => [e.dataset.rank, e.textContent])"))
            .OrderBy(x => int.Parse(x[0], CultureInfo.InvariantCulture)).Select(x => x[1]).ToArray();
        Assert.Equal(8, byRank.Length);
        Assert.Equal(done.GetProperty("summary").GetString(), string.Join(" ", byRank));
        Assert.Equal(done.GetProperty("summary").GetString(), await page.GetByTestId("summary").TextContentAsync());
        // The summary's sentences carry ranks 1, 2, … in order (the fixture's ranks differ from the text's order here).
        var sources = await page.GetByTestId("summary-sentence").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.source))");
        Assert.False(sources.SequenceEqual(sources.Order()), "The fixture's 8 best sentences are in the text's order; the test cannot tell the orders apart.");
        Assert.Contains("best first", await page.GetByTestId("summary-meta").TextContentAsync());
    }

    [Fact]
    public async Task Extractive_sentences_past_the_model_s_window_are_shown_out_of_reach()
    {
        var page = await fixture.OpenPageAsync();
        var sample = await page.GetByTestId("source-input").InputValueAsync();
        await page.GetByTestId("source-input").FillAsync(string.Join("\n\n", sample, sample, sample));
        await page.GetByTestId("mode-extractive").CheckAsync();

        var (done, _) = await SummarizeExtractiveAsync(page);

        Assert.True(done.GetProperty("truncated").GetBoolean());
        var read = done.GetProperty("sourceSentences").EnumerateArray().Select(s => s.GetProperty("read").GetBoolean()).ToArray();
        var unread = Enumerable.Range(0, read.Length).Where(j => !read[j]).ToArray();
        Assert.NotEmpty(unread);
        var shownUnread = await page.Locator($"{SourceSentences}[data-read=false]").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.index))");
        Assert.Equal(unread, shownUnread);
        foreach (var span in await page.Locator($"{SourceSentences}[data-read=false]").AllAsync())
        {
            Assert.Contains("unread", await span.GetAttributeAsync("class"));
            Assert.DoesNotContain("taken", await span.GetAttributeAsync("class"));
            Assert.Contains("not read", await span.GetAttributeAsync("title"));
        }
        var faded = await page.Locator($"{SourceSentences}[data-read=false]").First.EvaluateAsync<string>("e => getComputedStyle(e).color");
        var plain = await page.Locator($"{SourceSentences}[data-read=true]:not(.taken)").First.EvaluateAsync<string>("e => getComputedStyle(e).color");
        Assert.True(Luminance(faded) > Luminance(plain) + 0.1, $"Unread text ({faded}) is not fainter than read text ({plain}).");
        var truncation = page.GetByTestId("truncation");
        Assert.True(await truncation.IsVisibleAsync());
        Assert.Contains($"{unread.Length} of {read.Length} sentences", await truncation.TextContentAsync());
        Assert.Contains("out of its reach", await truncation.TextContentAsync());
        // The heatmap's columns cover every sentence, the unread ones marked.
        Assert.Equal(read.Length, await page.Locator("[data-testid=heat-column]").CountAsync());
        Assert.Equal(unread.Length, await page.Locator("[data-testid=heat-column].unread-col").CountAsync());
    }

    [Fact]
    public async Task Extractive_mode_is_hidden_when_info_says_the_model_has_no_sentence_selector()
    {
        var page = await fixture.OpenPageAsync();
        await page.RouteAsync("**/info", async route =>
        {
            var response = await route.FetchAsync();
            var info = JsonNode.Parse(await response.TextAsync())!.AsObject();
            info["modes"] = new JsonArray("abstractive");
            info["extractiveDefaults"] = null;
            var ranges = info["optionRanges"]!.AsObject();
            ranges.Remove("sentenceCount");
            ranges["selectSentences"] = new JsonObject { ["min"] = 0, ["max"] = 0, ["default"] = 0 };
            ranges["copySalience"] = new JsonObject { ["min"] = 0, ["max"] = 0, ["default"] = 0 };
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = info.ToJsonString() });
        });
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("mode-hint")).ToContainTextAsync("no sentence selector", new() { Timeout = 10_000 });

        Assert.True(await page.GetByTestId("mode-extractive").IsDisabledAsync());
        Assert.False(await page.GetByTestId("mode-extractive").IsVisibleAsync());
        Assert.True(await page.GetByTestId("mode-abstractive").IsCheckedAsync());
        Assert.True(await page.GetByTestId("opt-select").IsDisabledAsync());
        Assert.True(await page.GetByTestId("opt-beams").IsEnabledAsync());
        Assert.Contains("needs a model with a sentence selector", await page.GetByTestId("select-hint").TextContentAsync());
        Assert.True(await page.GetByTestId("opt-salience").IsDisabledAsync());
        Assert.Contains("this one cannot use it", await page.GetByTestId("salience-hint").TextContentAsync());
        // Both fields hold 0, so only their being disabled keeps them out of the request this model would refuse.
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(200, response.Status);
        var body = JsonNode.Parse(response.Request.PostData!)!.AsObject();
        Assert.Equal("abstractive", body["mode"]!.GetValue<string>());
        Assert.False(body.ContainsKey("selectSentences"), "The selectorless page sent selectSentences.");
        Assert.False(body.ContainsKey("copySalience"), "The selectorless page sent copySalience.");
        await page.Locator("[data-testid=summary][data-state=done]").WaitForAsync();
    }

    [Fact]
    public async Task Extractive_count_the_server_rejects_shows_the_problem_naming_the_field()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("mode-extractive").CheckAsync();
        await page.GetByTestId("opt-sentences").FillAsync("50");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(400, response.Status);

        var error = page.GetByTestId("error");
        await error.WaitForAsync(new() { Timeout = 10_000 });
        var text = await error.TextContentAsync() ?? "";
        Assert.StartsWith("Cannot summarize this request.", text);
        Assert.Contains("sentenceCount must be in 1..20", text);
        Assert.Contains("Check “Sentences taken”.", text);
        Assert.Equal("alert", await error.GetAttributeAsync("role"));
        Assert.Equal("true", await page.GetByTestId("opt-sentences").GetAttributeAsync("aria-invalid"));
        Assert.Equal("opt-sentences", await page.EvaluateAsync<string>("document.activeElement.id"));

        // A valid count clears the mark and summarizes.
        await page.GetByTestId("opt-sentences").FillAsync("2");
        var (done, _) = await SummarizeExtractiveAsync(page);
        Assert.Equal(2, done.GetProperty("extracted").GetArrayLength());
        Assert.Null(await page.GetByTestId("opt-sentences").GetAttributeAsync("aria-invalid"));
    }

    [Fact]
    public async Task Selected_sentences_field_is_sent_and_the_decoder_reads_only_those_sentences()
    {
        using var info = await InfoAsync();
        var range = info.RootElement.GetProperty("optionRanges").GetProperty("selectSentences");
        var page = await fixture.OpenPageAsync();
        await Assertions.Expect(page.GetByTestId("model-info")).ToContainTextAsync("decoder layers");
        var field = page.GetByTestId("opt-select");
        Assert.Equal(range.GetProperty("max").GetInt32().ToString(CultureInfo.InvariantCulture), await field.GetAttributeAsync("max"));
        Assert.Equal(range.GetProperty("default").GetInt32().ToString(CultureInfo.InvariantCulture), await field.InputValueAsync());
        Assert.Equal("Decoder reads the K selected sentences", (await page.Locator("label[for=opt-select]").TextContentAsync())?.Trim());

        const int K = 2;
        await field.FillAsync(K.ToString(CultureInfo.InvariantCulture));
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(200, response.Status);
        var body = JsonNode.Parse(response.Request.PostData!)!.AsObject();
        Assert.Equal(K, body["selectSentences"]!.GetValue<int>());
        Assert.Equal("abstractive", body["mode"]!.GetValue<string>());
        await page.Locator("[data-testid=summary][data-state=done]").WaitForAsync();
        var done = SseTranscript.Parse(await response.TextAsync()).Done;
        Assert.Equal(K, done.GetProperty("options").GetProperty("selectSentences").GetInt32());

        // The sentences the selector ranks highest (its extractive answer for K) are the only ones the decoder's attention reached.
        using var client = fixture.CreateClient();
        var text = await page.GetByTestId("source-input").InputValueAsync();
        using var extractive = await client.PostAsJsonAsync("summarize", new { text, mode = "extractive", sentenceCount = K, attention = "none" });
        extractive.EnsureSuccessStatusCode();
        using var picked = JsonDocument.Parse(await extractive.Content.ReadAsStringAsync());
        var selected = picked.RootElement.GetProperty("extracted").EnumerateArray().Select(e => e.GetProperty("index").GetInt32()).ToHashSet();
        var sourceSentences = done.GetProperty("sourceSentences").EnumerateArray().ToArray();
        var tokenSentence = done.GetProperty("sourceTokens").EnumerateArray().Select(t => SentenceOf(sourceSentences, t.GetProperty("start").GetInt32())).ToArray();
        var rows = Matrix(done.GetProperty("attention").GetProperty("weights"));
        Assert.NotEmpty(rows);
        foreach (var row in rows)
            for (var j = 0; j < row.Length; j++)
                if (!selected.Contains(tokenSentence[j])) Assert.Equal(0, row[j]);
        // And the page shades the source from that row: nothing outside the selected sentences.
        var shown = await page.Locator(SourceTokens).EvaluateAllAsync<double[]>("els => els.map(e => Number(e.dataset.weight))");
        Assert.Equal(tokenSentence.Length, shown.Length);
        Assert.True(Enumerable.Range(0, shown.Length).All(j => shown[j] == 0 || selected.Contains(tokenSentence[j])));
        Assert.Contains(Enumerable.Range(0, shown.Length), j => shown[j] > 0);
    }

    private async Task<JsonDocument> InfoAsync()
    {
        using var client = fixture.CreateClient();
        return JsonDocument.Parse(await client.GetStringAsync("info"));
    }

    /// <summary>Clicks Summarize in extractive mode; returns the <c>done</c> payload the page received and the request body it sent.</summary>
    private static async Task<(JsonElement Done, JsonObject Body)> SummarizeExtractiveAsync(IPage page)
    {
        var (done, body, _) = await SummarizeExtractiveWithTranscriptAsync(page);
        return (done, body);
    }

    private static async Task<(JsonElement Done, JsonObject Body, SseTranscript Transcript)> SummarizeExtractiveWithTranscriptAsync(IPage page)
    {
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(200, response.Status);
        var body = JsonNode.Parse(response.Request.PostData!)!.AsObject();
        await page.Locator("[data-testid=summary][data-state=done]").WaitForAsync(new() { Timeout = 30_000 });
        var transcript = SseTranscript.Parse(await response.TextAsync());
        Assert.Equal("start", transcript.Events[0].Name);
        Assert.Equal("done", transcript.Events[^1].Name);
        Assert.DoesNotContain(transcript.Events, e => e.Name == "token");
        var sentenceEvents = transcript.Events.Count(e => e.Name == "sentence");
        Assert.Equal(transcript.Done.GetProperty("sentences").GetArrayLength(), sentenceEvents);
        Assert.Equal(sentenceEvents.ToString(CultureInfo.InvariantCulture), await page.GetByTestId("summary").GetAttributeAsync("data-streamed"));
        Assert.Equal(sentenceEvents, await page.GetByTestId("summary-sentence").CountAsync());
        Assert.False(await page.GetByTestId("error").IsVisibleAsync(), await page.GetByTestId("error").TextContentAsync());
        return (transcript.Done, body, transcript);
    }
}
