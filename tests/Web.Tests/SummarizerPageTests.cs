using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Summarizer.Web.Tests;

/// <summary>The page at / driven in real headless Chromium against the real API and the tiny fixture model.</summary>
public sealed partial class SummarizerPageTests(PageFixture fixture) : IClassFixture<PageFixture>
{
    private const string SourceTokens = "[data-testid=source-token]";

    [Fact]
    public async Task Hovering_a_summary_word_shades_the_source_by_that_word_s_attention_row()
    {
        var page = await fixture.OpenPageAsync();
        var done = await SummarizeAsync(page);
        var rows = Matrix(done.GetProperty("attention").GetProperty("weights"));
        var summaryTokens = done.GetProperty("summaryTokens");
        Assert.True(rows.Length > 0, "The fixture model produced an empty summary.");
        Assert.Equal(summaryTokens.GetArrayLength(), rows.Length);

        // The most sharply focused token gives the clearest argmax to compare.
        var k = Enumerable.Range(0, rows.Length).MaxBy(i => rows[i].Max());
        await page.Locator($"[data-testid=summary-token][data-index='{k}']").HoverAsync();
        await page.Locator($"[data-testid=summary-token][data-index='{k}'].selected").WaitForAsync();

        var shown = await page.Locator(SourceTokens).EvaluateAllAsync<double[]>("els => els.map(e => Number(e.dataset.weight))");
        var row = rows[k];
        Assert.Equal(done.GetProperty("sourceTokens").GetArrayLength(), shown.Length);
        Assert.Equal(row.Length, shown.Length);
        for (var j = 0; j < row.Length; j++) Assert.Equal(row[j], shown[j], 1e-9);
        Assert.Equal(ArgMax(row), ArgMax(shown));
        Assert.Equal(row.Count(w => w > 0), shown.Count(w => w > 0));

        // What the eye sees: the heaviest word is shaded, and heavier weights are never lighter than smaller ones.
        var colours = await page.Locator(SourceTokens).EvaluateAllAsync<string[]>("els => els.map(e => getComputedStyle(e).backgroundColor)");
        var luminance = colours.Select(Luminance).ToArray();
        Assert.True(luminance[ArgMax(row)] < 0.6, $"The most attended source word is barely shaded (luminance {luminance[ArgMax(row)]:F2}).");
        var byWeight = Enumerable.Range(0, row.Length).OrderByDescending(j => row[j]).ToArray();
        for (var t = 1; t < byWeight.Length; t++)
        {
            int heavier = byWeight[t - 1], lighter = byWeight[t];
            Assert.True(luminance[heavier] <= luminance[lighter] + 0.003,
                $"Source word {heavier} (weight {row[heavier]:G4}, {colours[heavier]}) is shaded lighter than word {lighter} (weight {row[lighter]:G4}, {colours[lighter]}).");
        }

        // On the absolute scale the same weights keep their order, and a peak below 1 is shaded lighter than on the peak scale.
        await page.GetByTestId("opt-scale").SelectOptionAsync("absolute");
        var absolute = (await page.Locator(SourceTokens).EvaluateAllAsync<string[]>("els => els.map(e => getComputedStyle(e).backgroundColor)"))
            .Select(Luminance).ToArray();
        Assert.True(absolute[ArgMax(row)] >= luminance[ArgMax(row)] - 1e-9);
        Assert.Equal("1", await page.GetByTestId("legend-max").TextContentAsync());
        await page.GetByTestId("opt-scale").SelectOptionAsync("peak");

        // Top-5 list: the strongest weights, strongest first.
        var top = await page.GetByTestId("top-item").EvaluateAllAsync<double[]>("els => els.map(e => Number(e.dataset.index))");
        var expectedTop = byWeight.Where(j => row[j] > 0).Take(5).ToArray();
        Assert.Equal(expectedTop.Length, top.Length);
        Assert.Equal(expectedTop[0], (int)top[0]);

        // The screenshot for docs: the summary, the shaded source and the inspector in one 1280×900 view.
        await page.Locator("#summary-panel").EvaluateAsync("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 16)");
        await page.Locator($"[data-testid=summary-token][data-index='{k}']").HoverAsync();
        // Only on request (SUMMARIZER_SCREENSHOT=docs/screenshot.png): a test run must not rewrite a tracked file.
        var shot = Environment.GetEnvironmentVariable("SUMMARIZER_SCREENSHOT") is { Length: > 0 } asked
            ? Path.GetFullPath(asked, PageFixture.RepositoryRoot) : Path.Combine(Path.GetTempPath(), "summarizer-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    [Fact]
    public async Task Final_summary_is_the_natural_text_with_copy_shading_and_unsupported_words_flagged()
    {
        var page = await fixture.OpenPageAsync();
        var done = await SummarizeAsync(page);

        Assert.Equal(done.GetProperty("summary").GetString(), await page.GetByTestId("summary").TextContentAsync());
        var tokens = done.GetProperty("summaryTokens").EnumerateArray().ToArray();
        var copy = await page.GetByTestId("summary-token").EvaluateAllAsync<double[]>("els => els.map(e => Number(e.dataset.copy))");
        Assert.Equal(tokens.Length, copy.Length);
        for (var i = 0; i < tokens.Length; i++) Assert.Equal(tokens[i].GetProperty("copyProbability").GetDouble(), copy[i], 3);

        var unsupported = page.Locator("[data-testid=summary-token][data-unsupported=true]");
        Assert.Equal(tokens.Count(t => t.GetProperty("unsupported").GetBoolean()), await unsupported.CountAsync());
        foreach (var word in await unsupported.AllAsync())
        {
            Assert.Contains("generated, not in the source", await word.GetAttributeAsync("title"));
            Assert.Contains("wavy", await word.EvaluateAsync<string>("e => getComputedStyle(e).textDecorationStyle"));
        }
        // The fixture's defaults are not grounded, and the page says so.
        Assert.False(done.GetProperty("options").GetProperty("grounded").GetBoolean());
        Assert.StartsWith("Not grounded", await page.GetByTestId("grounding-note").TextContentAsync());
        Assert.True(await page.GetByTestId("copy-legend").IsVisibleAsync());
        Assert.True(await page.GetByTestId("attention-legend").IsVisibleAsync());
    }

    [Fact]
    public async Task Grounded_summary_states_its_constraints_and_flags_no_number()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("opt-grounded").CheckAsync();
        Assert.True(await page.GetByTestId("opt-ngram").IsDisabledAsync());

        var done = await SummarizeAsync(page);

        var options = done.GetProperty("options");
        Assert.True(options.GetProperty("grounded").GetBoolean());
        Assert.Equal(0, options.GetProperty("noRepeatNgramSize").GetInt32());
        var note = await page.GetByTestId("grounding-note").TextContentAsync() ?? "";
        Assert.Contains("every number is one the source states", note);
        Assert.Contains("no word twice in a row", note);
        // Grounded decoding copies every number from the source, so no number may be flagged as absent from it.
        foreach (var word in await page.Locator("[data-testid=summary-token][data-unsupported=true]").AllAsync())
            Assert.DoesNotMatch(@"\d", await word.TextContentAsync() ?? "");
        var words = done.GetProperty("summaryTokens").EnumerateArray().Select(t => t.GetProperty("text").GetString()).Where(w => w is { Length: > 0 }).ToList();
        for (var i = 1; i < words.Count; i++)
            Assert.False(words[i] == words[i - 1] && words[i]!.Any(char.IsLetter), $"'{words[i]}' twice in a row");
    }

    [Fact]
    public async Task Hovering_a_word_outlines_the_source_sentences_its_summary_sentence_draws_on()
    {
        var page = await fixture.OpenPageAsync();
        var done = await SummarizeAsync(page);
        var tokens = done.GetProperty("summaryTokens").EnumerateArray().ToArray();
        var sentences = done.GetProperty("sentences").EnumerateArray().ToArray();
        var sourceSentences = done.GetProperty("sourceSentences").EnumerateArray().ToArray();
        var sourceTokens = done.GetProperty("sourceTokens").EnumerateArray().ToArray();
        var last = sentences[^1];
        var i = Array.FindIndex(tokens, t => t.GetProperty("start").GetInt32() >= last.GetProperty("start").GetInt32() && t.GetProperty("end").GetInt32() > t.GetProperty("start").GetInt32());

        await page.GetByTestId("summary-token").Nth(i).HoverAsync();

        var sources = last.GetProperty("sources").EnumerateArray().ToArray();
        await Assertions.Expect(page.GetByTestId("provenance")).ToContainTextAsync($"Summary sentence {sentences.Length} of {sentences.Length}");
        var text = await page.GetByTestId("provenance").TextContentAsync() ?? "";
        foreach (var source in sources)
            Assert.Contains($"{source.GetProperty("index").GetInt32() + 1} ({Math.Round(source.GetProperty("share").GetDouble() * 100)}%)", text);
        // Exactly the source tokens inside the named sentences are outlined.
        var named = sources.Select(x => x.GetProperty("index").GetInt32()).ToHashSet();
        var expected = sourceTokens.Select((t, j) => (t, j)).Where(x => named.Contains(SentenceOf(sourceSentences, x.t.GetProperty("start").GetInt32()))).Select(x => x.j).ToArray();
        var outlined = await page.Locator(".prov").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.index))");
        Assert.Equal(expected, outlined);
    }

    private static int SentenceOf(JsonElement[] sentences, int offset)
    {
        var at = 0;
        for (var k = 0; k < sentences.Length; k++)
            if (sentences[k].GetProperty("start").GetInt32() <= offset) at = k;
        return at;
    }

    [Fact]
    public async Task Layer_by_head_grid_has_a_cell_per_head_and_a_click_shows_that_head()
    {
        var page = await fixture.OpenPageAsync();
        var done = await SummarizeAsync(page);
        var layers = done.GetProperty("attention").GetProperty("layers");
        int layerCount = layers.GetArrayLength(), headCount = layers[0].GetArrayLength();
        Assert.True(layerCount > 0 && headCount > 0);

        await page.Locator("[data-testid=summary-token][data-index='0']").HoverAsync();
        Assert.Equal(layerCount * headCount, await page.GetByTestId("head-cell").CountAsync());

        int l = layerCount - 1, h = headCount - 1;
        await page.Locator($"[data-testid=head-cell][data-layer='{l}'][data-head='{h}']").ClickAsync();
        var expected = Matrix(layers[l][h])[0];
        var shown = await page.Locator(SourceTokens).EvaluateAllAsync<double[]>("els => els.map(e => Number(e.dataset.weight))");
        Assert.Equal(expected.Length, shown.Length);
        for (var j = 0; j < expected.Length; j++) Assert.Equal(expected[j], shown[j], 1e-9);
        Assert.Equal($"{l}:{h}", await page.GetByTestId("opt-view").InputValueAsync());
        Assert.Equal("true", await page.Locator($"[data-testid=head-cell][data-layer='{l}'][data-head='{h}']").GetAttributeAsync("aria-pressed"));
    }

    [Fact]
    public async Task Arrow_keys_move_between_summary_words_and_follow_their_attention()
    {
        var page = await fixture.OpenPageAsync();
        var done = await SummarizeAsync(page);
        var rows = Matrix(done.GetProperty("attention").GetProperty("weights"));
        Assert.True(rows.Length >= 2, "The fixture model's summary is too short to move between words.");

        await page.Locator("[data-testid=summary-token][data-index='0']").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.Equal("1", await page.EvaluateAsync<string>("document.activeElement.dataset.index"));
        var shown = await page.Locator(SourceTokens).EvaluateAllAsync<double[]>("els => els.map(e => Number(e.dataset.weight))");
        Assert.Equal(rows[1].Length, shown.Length);
        for (var j = 0; j < shown.Length; j++) Assert.Equal(rows[1][j], shown[j], 1e-9);
        Assert.Equal("true", await page.Locator("[data-testid=summary-token][data-index='1']").GetAttributeAsync("aria-selected"));
        Assert.Equal(1, await page.Locator("[data-testid=summary-token][tabindex='0']").CountAsync());

        await page.Keyboard.PressAsync("End");
        Assert.Equal((rows.Length - 1).ToString(CultureInfo.InvariantCulture), await page.EvaluateAsync<string>("document.activeElement.dataset.index"));
    }

    [Fact]
    public async Task Empty_text_shows_a_readable_error()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("source-input").FillAsync("   ");
        await page.GetByTestId("summarize-button").ClickAsync();
        var error = page.GetByTestId("error");
        await error.WaitForAsync();
        Assert.Contains("empty", await error.TextContentAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Options_the_server_rejects_show_its_problem_detail()
    {
        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("opt-beams").FillAsync("999");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(400, response.Status);
        var error = page.GetByTestId("error");
        await error.WaitForAsync();
        var text = await error.TextContentAsync() ?? "";
        Assert.StartsWith("Cannot summarize this request.", text);
        Assert.Contains("beam", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Model_line_and_option_defaults_and_ranges_come_from_info()
    {
        using var client = fixture.CreateClient();
        using var info = JsonDocument.Parse(await client.GetStringAsync("info"));
        var config = info.RootElement.GetProperty("model").GetProperty("config");
        var beams = info.RootElement.GetProperty("optionRanges").GetProperty("numBeams");

        var page = await fixture.OpenPageAsync();
        var line = page.GetByTestId("model-info");
        await Assertions.Expect(line).ToContainTextAsync("decoder layers");

        var text = await line.TextContentAsync() ?? "";
        Assert.Contains($"{config.GetProperty("decoderLayers").GetInt32()} decoder layers × {config.GetProperty("headCount").GetInt32()} heads", text);
        Assert.Contains($"reads up to {config.GetProperty("maxSourceLength").GetInt32()} tokens", text);
        Assert.Equal(info.RootElement.GetProperty("defaults").GetProperty("grounded").GetBoolean(), await page.GetByTestId("opt-grounded").IsCheckedAsync());
        var input = page.Locator("#opt-beams");
        Assert.Equal(beams.GetProperty("max").GetDouble().ToString(CultureInfo.InvariantCulture), await input.GetAttributeAsync("max"));
        Assert.Equal(beams.GetProperty("default").GetDouble().ToString(CultureInfo.InvariantCulture), await input.InputValueAsync());
    }

    [Fact]
    public async Task Text_over_the_server_s_limit_shows_too_long()
    {
        using var client = fixture.CreateClient();
        using var info = JsonDocument.Parse(await client.GetStringAsync("info"));
        var maxChars = info.RootElement.GetProperty("limits").GetProperty("maxTextChars").GetInt32();

        var page = await fixture.OpenPageAsync();
        await page.GetByTestId("source-input").FillAsync(string.Concat(Enumerable.Repeat("word ", maxChars / 5 + 1)));
        Assert.Contains("over", await page.GetByTestId("char-count").GetAttributeAsync("class") ?? "");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(413, response.Status);
        var error = page.GetByTestId("error");
        await error.WaitForAsync();
        Assert.StartsWith("The text is too long.", await error.TextContentAsync());
        Assert.Contains(maxChars.ToString(CultureInfo.InvariantCulture), await error.TextContentAsync());
    }

    [Fact]
    public async Task Busy_server_shows_when_to_retry()
    {
        // A real 503 needs a saturated server, which is timing-dependent; this serves the API's 503 shape instead
        // (Retry-After header + problem JSON) to test how the page reads it.
        var page = await fixture.OpenPageAsync();
        await page.RouteAsync("**/summarize/stream", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 503,
            ContentType = "application/problem+json",
            Headers = new Dictionary<string, string> { ["Retry-After"] = "7" },
            Body = """{"title":"The service is busy.","status":503,"detail":"All generation slots are taken."}""",
        }));
        await page.GetByTestId("summarize-button").ClickAsync();
        var error = page.GetByTestId("error");
        await error.WaitForAsync();
        Assert.Equal("The server is busy; try again in 7 s. All generation slots are taken.", await error.TextContentAsync());
        Assert.True(await page.GetByTestId("summarize-button").IsEnabledAsync());
    }

    [Fact]
    public async Task Phone_width_has_no_horizontal_overflow()
    {
        var page = await fixture.OpenPageAsync(390, 844);
        await SummarizeAsync(page);
        await page.Locator("[data-testid=summary-token][data-index='0']").HoverAsync();

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.Equal(0, overflow);
        var sticking = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 0.5).map(e => e.tagName + '.' + e.className)");
        Assert.Empty(sticking);
    }

    /// <summary>Clicks Summarize and returns the <c>done</c> payload of the stream the page itself received.</summary>
    private static async Task<JsonElement> SummarizeAsync(IPage page)
    {
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(200, response.Status);
        await page.Locator("[data-testid=summary][data-state=done]").WaitForAsync();
        var transcript = SseTranscript.Parse(await response.TextAsync());
        Assert.Equal("start", transcript.Events[0].Name);
        Assert.Equal("done", transcript.Events[^1].Name);
        var tokenEvents = transcript.Events.Count(e => e.Name == "token");
        Assert.True(tokenEvents > 0, "The stream carried no token events.");
        Assert.Equal(tokenEvents.ToString(CultureInfo.InvariantCulture), await page.GetByTestId("summary").GetAttributeAsync("data-streamed"));
        Assert.False(await page.GetByTestId("error").IsVisibleAsync(), await page.GetByTestId("error").TextContentAsync());
        return transcript.Done;
    }

    private static bool IsStreamRequest(IResponse r) =>
        r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath.EndsWith("/summarize/stream", StringComparison.Ordinal);

    private static double[][] Matrix(JsonElement rows) =>
        rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    private static int ArgMax(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Relative luminance (0 black .. 1 white) of a CSS colour; transparent counts as the white card behind it.</summary>
    private static double Luminance(string cssColour)
    {
        var m = RgbPattern().Match(cssColour);
        Assert.True(m.Success, $"Unexpected colour '{cssColour}'.");
        if (m.Groups[4].Success && double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) == 0) return 1.0;
        static double Linear(string c)
        {
            var s = double.Parse(c, CultureInfo.InvariantCulture) / 255.0;
            return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Linear(m.Groups[1].Value) + 0.7152 * Linear(m.Groups[2].Value) + 0.0722 * Linear(m.Groups[3].Value);
    }

    [GeneratedRegex(@"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)")]
    private static partial Regex RgbPattern();
}
