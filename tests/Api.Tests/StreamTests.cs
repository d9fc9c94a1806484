using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>POST /summarize/stream: Server-Sent Events against the real tiny model.</summary>
public sealed class StreamTests(ApiFactory factory, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Events_come_as_start_tokens_done_with_attention_over_every_source_token()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize/stream", new { text = Http.SampleText, numBeams = 1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync()).Where(e => e.Name is not null).ToList();
        Assert.Equal("start", events[0].Name);
        Assert.Equal("done", events[^1].Name);
        var tokens = events[1..^1];
        Assert.NotEmpty(tokens);
        Assert.All(tokens, e => Assert.Equal("token", e.Name));

        var start = events[0].Data!;
        var sourceCount = start["sourceTokens"]!.AsArray().Count;
        Assert.NotNull(start["options"]);
        Assert.NotNull(start["model"]);
        Assert.NotNull(start["truncated"]);
        Assert.NotNull(start["inputTokenCount"]);
        for (var i = 0; i < tokens.Count; i++)
        {
            var data = tokens[i].Data!;
            Assert.Equal(i, (int)data["index"]!);
            Assert.Equal(sourceCount, data["attention"]!.AsArray().Count);
            Assert.InRange((double)data["copyProbability"]!, 0, 1);
        }
        var done = events[^1].Data!;
        Assert.True(JsonNode.DeepEquals(start["sourceTokens"], done["sourceTokens"]));
        var ids = done["summaryTokens"]!.AsArray().Select(t => (int)t!["id"]!).ToList();
        Assert.Equal(ids, tokens.Select(t => (int)t.Data!["id"]!).Take(ids.Count));
    }

    [Fact]
    public async Task A_streamed_text_is_tokenized_once()
    {
        HookedSummarizer? hooked = null;
        using var own = new ApiFactory { Decorate = inner => hooked = new HookedSummarizer(inner) };
        using var client = await own.CreateReadyClientAsync();
        var before = hooked!.Tokenizations; // the warm-up's

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize/stream", new { text = Http.SampleText, numBeams = 1 });
        var events = SseEvent.ParseAll(await response.Content.ReadAsStringAsync());

        Assert.Equal("done", events.Last(e => e.Name is not null).Name);
        Assert.Equal(before + 1, hooked.Tokenizations);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Done_event_equals_what_summarize_returns_for_the_same_request(int numBeams)
    {
        using var client = await factory.CreateReadyClientAsync();
        var request = new { text = Http.SampleText, numBeams, maxLength = 20, attention = "aggregate" };

        var plain = await Http.ReadObjectAsync(await ApiFactory.PostJsonAsync(client, "/summarize", request));
        using var streamed = await ApiFactory.PostJsonAsync(client, "/summarize/stream", request);
        var events = SseEvent.ParseAll(await streamed.Content.ReadAsStringAsync()).Where(e => e.Name is not null).ToList();
        Assert.Equal("start", events[0].Name);
        Assert.Contains(events, e => e.Name == "token");
        var done = events.Single(e => e.Name == "done").Data!.AsObject();
        Assert.Equal(numBeams, (int)done["options"]!["numBeams"]!);

        Assert.Equal(plain.Select(p => p.Key), done.Select(p => p.Key));
        foreach (var key in plain.Select(p => p.Key).Where(k => k != "timings"))
            Assert.True(JsonNode.DeepEquals(plain[key], done[key]), $"{key}: {plain[key]} vs {done[key]}");
    }

    [Fact]
    public async Task Errors_before_the_stream_starts_are_problem_json()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var badOption = await ApiFactory.PostJsonAsync(client, "/summarize/stream", new { text = Http.SampleText, numBeams = 99 });
        using var noText = await ApiFactory.PostJsonAsync(client, "/summarize/stream", new { numBeams = 1 });

        Assert.NotNull((await Http.AssertProblemAsync(badOption, 400))["errors"]!["numBeams"]);
        Assert.NotNull((await Http.AssertProblemAsync(noText, 400))["errors"]!["text"]);
    }

    [Fact]
    public async Task An_error_during_the_stream_is_an_error_event_with_a_problem()
    {
        using var failing = new ApiFactory
        {
            Decorate = inner => new HookedSummarizer(inner)
            {
                AfterToken = (token, _) =>
                {
                    if (token.Index == 1) throw new InvalidOperationException("secret internal detail");
                },
            },
        };
        using var client = await failing.CreateReadyClientAsync();

        using var response = await ApiFactory.PostJsonAsync(client, "/summarize/stream", new { text = Http.SampleText, numBeams = 1, minLength = 5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var events = SseEvent.ParseAll(body).Where(e => e.Name is not null).ToList();
        Assert.Equal(["start", "token", "token", "error"], events.Select(e => e.Name));
        Assert.Equal(500, (int)events[^1].Data!["status"]!);
        Assert.DoesNotContain("secret", body);
    }

    [Fact]
    public async Task Keep_alive_comments_flow_while_tokens_are_slow()
    {
        using var keepAliveSeen = new ManualResetEventSlim();
        using var slow = new ApiFactory
        {
            // After the first token the generation stalls until the client has read a keep-alive comment (at most 30 s),
            // so the test waits for the event it checks rather than for a fixed time.
            Decorate = inner => new HookedSummarizer(inner)
            {
                AfterToken = (token, ct) => { if (token.Index == 0) keepAliveSeen.Wait(TimeSpan.FromSeconds(30), ct); },
            },
        };
        slow.Settings["Summarizer:KeepAliveSeconds"] = "1";
        using var client = await slow.CreateReadyClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/summarize/stream")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { text = Http.SampleText, numBeams = 1, maxLength = 4 }),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = new List<SseEvent>();
        await foreach (var e in SseEvent.ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            events.Add(e);
            if (e.Comment == "keep-alive") keepAliveSeen.Set();
        }

        Assert.True(keepAliveSeen.IsSet, "no keep-alive comment while the generation stalled");
        Assert.Equal("done", events.Last(e => e.Name is not null).Name);
    }

    [Fact]
    public async Task Client_disconnect_cancels_generation()
    {
        HookedSummarizer? hooked = null;
        using var blocking = new ApiFactory
        {
            // After the first token the generation waits until its token is cancelled (or 60 s pass).
            Decorate = inner => hooked = new HookedSummarizer(inner)
            {
                AfterToken = (token, ct) => { if (token.Index == 0) ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(60)); },
            },
        };
        // A real socket, so closing it is a real disconnect (the in-memory server only notices on its next write).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        blocking.UseKestrel();
        blocking.StartServer();
        var address = blocking.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        await ApiFactory.WaitUntilReadyAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/summarize/stream")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { text = Http.SampleText, numBeams = 1, minLength = 5 }),
        };

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var e in SseEvent.ReadAsync(stream))
            if (e.Name == "token") break;
        output.WriteLine($"first token at {clock.Elapsed}");
        response.Dispose();
        client.Dispose();
        output.WriteLine($"disposed at {clock.Elapsed}");

        // Well before the hook's own 60 s timeout: the disconnect, not the timeout, ended the generation.
        await hooked!.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(15));
        output.WriteLine($"cancelled at {clock.Elapsed}");
        using var probe = new HttpClient { BaseAddress = new Uri(address) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(await probe.GetStringAsync("/metrics")).Contains("summarizer_generations_cancelled_total 1"))
        {
            Assert.True(DateTime.UtcNow < deadline, "cancelled counter never reached 1");
            await Task.Delay(20);
        }
        Assert.Contains("summarizer_generations_in_flight 0", await probe.GetStringAsync("/metrics"));
        output.WriteLine($"done at {clock.Elapsed}");
    }
}
