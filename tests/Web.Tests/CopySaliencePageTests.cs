using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Summarizer.Web.Tests;

/// <summary>The copy-salience field (bottom-up attention) against the real API and the tiny fixture model, which has a sentence selector.</summary>
public sealed partial class SummarizerPageTests
{
    private const string SalienceLabel = "Copy salience (bottom-up attention)";

    [Fact]
    public async Task Copy_salience_field_takes_its_range_from_info_and_sends_the_value_typed()
    {
        using var info = await InfoAsync();
        var range = info.RootElement.GetProperty("optionRanges").GetProperty("copySalience");
        var page = await fixture.OpenPageAsync();
        await Assertions.Expect(page.GetByTestId("model-info")).ToContainTextAsync("decoder layers");
        var field = page.GetByTestId("opt-salience");
        Assert.Equal(range.GetProperty("min").GetDouble().ToString(CultureInfo.InvariantCulture), await field.GetAttributeAsync("min"));
        Assert.Equal(range.GetProperty("max").GetDouble().ToString(CultureInfo.InvariantCulture), await field.GetAttributeAsync("max"));
        Assert.Equal(range.GetProperty("default").GetDouble(), double.Parse(await field.InputValueAsync(), CultureInfo.InvariantCulture));
        Assert.True(range.GetProperty("max").GetDouble() > 0, "The fixture has a selector, so /info should offer copy salience.");
        Assert.Equal(SalienceLabel, (await page.Locator("label[for=opt-salience]").TextContentAsync())?.Trim());
        Assert.Equal("0.5", await field.GetAttributeAsync("step"));
        Assert.True(await field.IsEnabledAsync());
        // The hint is the field's description, and says what the option does.
        Assert.Equal("salience-hint", await field.GetAttributeAsync("aria-describedby"));
        Assert.Contains("copy attention", await page.GetByTestId("salience-hint").TextContentAsync());

        // A value other than the default, so an echo of the default could not pass.
        var typed = range.GetProperty("default").GetDouble() == 2.5 ? 3.5 : 2.5;
        await field.FillAsync(typed.ToString(CultureInfo.InvariantCulture));
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(200, response.Status);
        var body = JsonNode.Parse(response.Request.PostData!)!.AsObject();
        Assert.Equal(typed, body["copySalience"]!.GetValue<double>());
        Assert.Equal("abstractive", body["mode"]!.GetValue<string>());
        await page.Locator("[data-testid=summary][data-state=done]").WaitForAsync();
        var done = SseTranscript.Parse(await response.TextAsync()).Done;
        Assert.Equal(typed, done.GetProperty("options").GetProperty("copySalience").GetDouble());
        Assert.False(await page.GetByTestId("error").IsVisibleAsync(), await page.GetByTestId("error").TextContentAsync());

        // The same request with salience off: the first summary word's copy attention (same decoder input) differs only by
        // a factor per source sentence, the selector's salience of it raised to the power typed.
        body["copySalience"] = 0;
        body["attention"] = "aggregate";
        using var client = fixture.CreateClient();
        using var off = await client.PostAsJsonAsync("summarize", body);
        off.EnsureSuccessStatusCode();
        using var plain = JsonDocument.Parse(await off.Content.ReadAsStringAsync());
        var weighted = Matrix(done.GetProperty("attention").GetProperty("weights"))[0];
        var unweighted = Matrix(plain.RootElement.GetProperty("attention").GetProperty("weights"))[0];
        Assert.Equal(unweighted.Length, weighted.Length);
        var sentences = done.GetProperty("sourceSentences").EnumerateArray().ToArray();
        var sentenceOf = done.GetProperty("sourceTokens").EnumerateArray().Select(t => SentenceOf(sentences, t.GetProperty("start").GetInt32())).ToArray();
        var factors = new Dictionary<int, double>();
        for (var j = 0; j < weighted.Length; j++)
        {
            if (unweighted[j] < 1e-6) continue;
            var factor = weighted[j] / unweighted[j];
            if (factors.TryGetValue(sentenceOf[j], out var first)) Assert.Equal(first, factor, first * 1e-3);
            else factors[sentenceOf[j]] = factor;
        }
        Assert.True(factors.Count > 1, "The fixture's sample should span more than one read sentence.");
        Assert.True(factors.Values.Max() > factors.Values.Min() * 1.01, $"Copy salience left the attention as it was: factors {JsonSerializer.Serialize(factors)}.");
        // The page shades the source with the weighted row, not the plain one.
        var shown = await page.Locator(SourceTokens).EvaluateAllAsync<double[]>("els => els.map(e => Number(e.dataset.weight))");
        Assert.Equal(weighted.Length, shown.Length);
        for (var j = 0; j < shown.Length; j++) Assert.Equal(weighted[j], shown[j], 1e-6);
    }

    [Fact]
    public async Task Copy_salience_the_server_rejects_marks_the_field_and_names_it()
    {
        using var info = await InfoAsync();
        var max = info.RootElement.GetProperty("optionRanges").GetProperty("copySalience").GetProperty("max").GetDouble();
        var page = await fixture.OpenPageAsync();
        await Assertions.Expect(page.GetByTestId("model-info")).ToContainTextAsync("decoder layers");
        var field = page.GetByTestId("opt-salience");
        // The form does not validate (novalidate), so a value past the input's max reaches the server and its 400.
        var tooLarge = (max + 1).ToString(CultureInfo.InvariantCulture);
        await field.FillAsync(tooLarge);
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(400, response.Status);
        Assert.Equal(max + 1, JsonNode.Parse(response.Request.PostData!)!["copySalience"]!.GetValue<double>());

        var error = page.GetByTestId("error");
        await error.WaitForAsync(new() { Timeout = 10_000 });
        var text = await error.TextContentAsync() ?? "";
        Assert.StartsWith("Cannot summarize this request.", text);
        Assert.Contains($"copySalience: The copy salience must be in 0..{max.ToString(CultureInfo.InvariantCulture)}", text);
        Assert.Contains($"Check “{SalienceLabel}”.", text);
        Assert.Equal("true", await field.GetAttributeAsync("aria-invalid"));
        Assert.Equal("opt-salience", await page.EvaluateAsync<string>("document.activeElement.id"));
        // Only the field the problem names is marked.
        Assert.Equal(1, await page.Locator("#summarize-form [aria-invalid=true]").CountAsync());

        // A value in range clears the mark and summarizes.
        await field.FillAsync("1");
        var ok = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("summarize-button").ClickAsync(), IsStreamRequest);
        Assert.Equal(200, ok.Status);
        await page.Locator("[data-testid=summary][data-state=done]").WaitForAsync();
        Assert.Null(await field.GetAttributeAsync("aria-invalid"));
        Assert.False(await error.IsVisibleAsync());
    }
}
