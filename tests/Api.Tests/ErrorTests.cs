using System.Net;
using System.Text;
using Summarizer.Api.Tests.Infrastructure;
using Summarizer.Inference;

namespace Summarizer.Api.Tests;

/// <summary>Every bad request gets an RFC 7807 problem with the right status, and the service keeps serving.</summary>
public sealed class ErrorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/summarize")]
    [InlineData("/summarize/stream")]
    [InlineData("/summarize/batch")]
    public async Task Malformed_json_is_400_and_the_service_keeps_serving(string path)
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await Http.PostJsonTextAsync(client, path, "{\"text\": \"unterminated");

        var problem = await Http.AssertProblemAsync(response, 400);
        Assert.Contains("JSON", (string)problem["title"]!);
        using var ok = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, numBeams = 1, maxLength = 4 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"text\": null}")]
    [InlineData("{\"text\": \"\"}")]
    [InlineData("{\"text\": \"   \\n\\t \"}")]
    public async Task Missing_empty_or_whitespace_text_is_400_naming_text(string json)
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await Http.PostJsonTextAsync(client, "/summarize", json);

        var problem = await Http.AssertProblemAsync(response, 400);
        Assert.Contains("text", problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Text_over_the_character_limit_is_413_naming_the_limit()
    {
        using var client = await factory.CreateReadyClientAsync();
        var limit = (int)(await Http.ReadObjectAsync(await client.GetAsync("/info")))["limits"]!["maxTextChars"]!;

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = new string('a', limit + 1) });

        var problem = await Http.AssertProblemAsync(response, 413);
        Assert.Contains(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("maxLength", 0, "1..")]
    [InlineData("minLength", -1, "0..")]
    [InlineData("numBeams", 0, "1..16")]
    [InlineData("numBeams", 17, "1..16")]
    [InlineData("lengthPenalty", 5.5, "0..5")]
    [InlineData("lengthPenalty", -0.1, "0..5")]
    [InlineData("noRepeatNgramSize", 11, "0..10")]
    [InlineData("noRepeatNgramSize", -1, "0..10")]
    [InlineData("noRepeatWordNgramSize", 11, "0..10")]
    [InlineData("noRepeatWordNgramSize", -1, "0..10")]
    [InlineData("maxWordRepeats", 101, "0..100")]
    [InlineData("maxWordRepeats", -1, "0..100")]
    public async Task Option_out_of_range_is_400_naming_the_option_and_its_range(string option, double value, string range)
    {
        using var client = await factory.CreateReadyClientAsync();
        var json = $"{{\"text\": \"{Http.SampleText}\", \"{option}\": {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}";

        using var response = await Http.PostJsonTextAsync(client, "/summarize", json);

        var problem = await Http.AssertProblemAsync(response, 400);
        var messages = problem["errors"]![option]!.AsArray().Select(m => (string)m!).ToList();
        Assert.Contains(messages, m => m.Contains(range));
    }

    [Fact]
    public async Task MaxLength_above_the_models_target_length_is_400_naming_the_limit()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, maxLength = TinyConfig.MaxTargetLength + 1 });

        var problem = await Http.AssertProblemAsync(response, 400);
        Assert.Contains($"1..{TinyConfig.MaxTargetLength}", (string)problem["errors"]!["maxLength"]![0]!);
    }

    [Fact]
    public async Task MinLength_above_maxLength_is_400()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, maxLength = 5, minLength = 6 });

        var problem = await Http.AssertProblemAsync(response, 400);
        Assert.NotNull(problem["errors"]!["minLength"]);
    }

    [Fact]
    public async Task Unknown_attention_value_is_400_listing_the_values()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, attention = "everything" });

        var problem = await Http.AssertProblemAsync(response, 400);
        var message = (string)problem["errors"]!["attention"]![0]!;
        Assert.Contains("\"none\"", message);
        Assert.Contains("\"full\"", message);
    }

    [Fact]
    public async Task Unknown_field_is_400_naming_it()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await Http.PostJsonTextAsync(client, "/summarize", $"{{\"text\": \"{Http.SampleText}\", \"num_beams\": 2}}");

        var problem = await Http.AssertProblemAsync(response, 400);
        Assert.Contains("num_beams", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task Wrong_content_type_is_415(string contentType)
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await Http.PostRawAsync(client, "/summarize", Encoding.UTF8.GetBytes($"{{\"text\": \"{Http.SampleText}\"}}"), contentType);

        await Http.AssertProblemAsync(response, 415);
    }

    [Fact]
    public async Task Invalid_utf8_is_400()
    {
        using var client = await factory.CreateReadyClientAsync();
        var body = Encoding.UTF8.GetBytes("{\"text\": \"caf\u00e9 XX\"}");
        var bad = Array.IndexOf(body, (byte)'X');
        body[bad] = 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        body[bad + 1] = 0x28;

        using var response = await Http.PostRawAsync(client, "/summarize", body, "application/json");

        var problem = await Http.AssertProblemAsync(response, 400);
        Assert.Contains("UTF-8", (string)problem["title"]!);
    }

    [Fact]
    public async Task Batch_with_too_many_texts_or_a_blank_text_is_400_naming_the_field()
    {
        using var client = await factory.CreateReadyClientAsync();
        var max = (int)(await Http.ReadObjectAsync(await client.GetAsync("/info")))["limits"]!["maxBatchSize"]!;

        using var tooMany = await ApiFactory.PostJsonAsync(client, "/summarize/batch", new { texts = Enumerable.Repeat("a b c", max + 1) });
        Assert.NotNull((await Http.AssertProblemAsync(tooMany, 400))["errors"]!["texts"]);

        using var none = await ApiFactory.PostJsonAsync(client, "/summarize/batch", new { texts = Array.Empty<string>() });
        Assert.NotNull((await Http.AssertProblemAsync(none, 400))["errors"]!["texts"]);

        using var blank = await ApiFactory.PostJsonAsync(client, "/summarize/batch", new { texts = new[] { Http.SampleText, " " } });
        Assert.NotNull((await Http.AssertProblemAsync(blank, 400))["errors"]!["texts[1]"]);
    }

    [Fact]
    public async Task Unexpected_exception_is_500_problem_without_details()
    {
        using var throwing = new ApiFactory
        {
            Decorate = inner => new HookedSummarizer(inner) { Before = _ => throw new InvalidOperationException("secret internal detail") },
        };
        using var client = await throwing.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText });

        var problem = await Http.AssertProblemAsync(response, 500);
        Assert.DoesNotContain("secret", problem.ToJsonString());
        Assert.DoesNotContain("InvalidOperationException", problem.ToJsonString());
    }

    [Fact]
    public async Task Text_the_model_cannot_summarize_is_400_but_another_argument_error_is_500()
    {
        var calls = 0;
        using var throwing = new ApiFactory
        {
            // Odd calls fail as the contract says a text the model cannot use does (UnsummarizableTextException), even
            // calls as a bug inside the service would — even one naming a parameter "text": only the first may blame the
            // client's text.
            Decorate = inner => new HookedSummarizer(inner)
            {
                Before = _ => throw (Interlocked.Increment(ref calls) % 2 == 1
                    ? new UnsummarizableTextException("The text has no words to summarize.")
                    : new ArgumentException("secret internal detail", "text")),
            },
        };
        using var client = await throwing.CreateReadyClientAsync();
        var request = new { text = Http.SampleText, numBeams = 1, maxLength = 4 };

        using var textError = await ApiFactory.PostJsonAsync(client, "/summarize", request);
        using var internalError = await ApiFactory.PostJsonAsync(client, "/summarize", request);
        using var streamTextError = await ApiFactory.PostJsonAsync(client, "/summarize/stream", request);
        using var streamInternalError = await ApiFactory.PostJsonAsync(client, "/summarize/stream", request);

        Assert.Contains("no words", (string)(await Http.AssertProblemAsync(textError, 400))["errors"]!["text"]![0]!);
        Assert.DoesNotContain("secret", (await Http.AssertProblemAsync(internalError, 500)).ToJsonString());
        // The stream has already sent its start event when the model fails, so the problem comes as an error event.
        var streamed = new List<int>();
        foreach (var response in new[] { streamTextError, streamInternalError })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("secret", body);
            streamed.Add((int)SseEvent.ParseAll(body).Single(e => e.Name == "error").Data!["status"]!);
        }
        Assert.Equal([400, 500], streamed);
    }

    [Fact]
    public async Task Body_over_the_request_size_limit_is_413()
    {
        using var small = new ApiFactory();
        small.Settings["Summarizer:MaxRequestBodyBytes"] = "2048";
        using var client = await small.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = new string('a', 4000) });

        var problem = await Http.AssertProblemAsync(response, 413);
        Assert.Contains("2048", (string)problem["detail"]!);
    }

    [Fact]
    public async Task Unknown_route_and_wrong_method_are_problems_too()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var notFound = await client.GetAsync("/no-such-endpoint");
        using var wrongMethod = await client.GetAsync("/summarize");

        await Http.AssertProblemAsync(notFound, 404);
        await Http.AssertProblemAsync(wrongMethod, 405);
    }
}
