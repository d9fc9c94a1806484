using System.Net;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>The concurrency gate: past MaxConcurrency + QueueLength requests get 503 with Retry-After, and the service recovers.</summary>
public sealed class OverloadTests
{
    [Fact]
    public async Task With_one_slot_and_no_queue_concurrent_requests_get_503_and_the_service_serves_afterwards()
    {
        using var gate = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        using var factory = new ApiFactory
        {
            // Summaries signal that they hold the slot and wait for the gate.
            Decorate = inner => new HookedSummarizer(inner)
            {
                Before = ct =>
                {
                    entered.Release();
                    gate.Wait(TimeSpan.FromSeconds(30), ct);
                },
            },
        };
        factory.Settings["Summarizer:MaxConcurrency"] = "1";
        factory.Settings["Summarizer:QueueLength"] = "0";
        using var client = await factory.CreateReadyClientAsync();
        var request = new { text = Http.SampleText, numBeams = 1, maxLength = 4 };

        var first = ApiFactory.PostJsonAsync(client, "/summarize", request);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(30)), "the first request never reached the model");
        var others = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ApiFactory.PostJsonAsync(client, "/summarize", request)));
        using var streamRejected = await ApiFactory.PostJsonAsync(client, "/summarize/stream", request);
        gate.Set();

        using var firstResponse = await first;
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        foreach (var response in others.Append(streamRejected))
        {
            using (response)
            {
                await Http.AssertProblemAsync(response, 503);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After missing");
            }
        }
        using var after = await ApiFactory.PostJsonAsync(client, "/summarize", request);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("summarizer_rejected_total 5", metrics);
    }

    [Fact]
    public async Task Queued_requests_wait_for_the_slot_and_report_queue_time()
    {
        using var gate = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        HookedSummarizer? hooked = null;
        using var factory = new ApiFactory
        {
            Decorate = inner => hooked = new HookedSummarizer(inner)
            {
                // Only the first request after the warm-up (call 2) blocks.
                Before = ct =>
                {
                    if (hooked!.Calls != 2) return;
                    entered.Release();
                    gate.Wait(TimeSpan.FromSeconds(30), ct);
                },
            },
        };
        factory.Settings["Summarizer:MaxConcurrency"] = "1";
        factory.Settings["Summarizer:QueueLength"] = "1";
        using var client = await factory.CreateReadyClientAsync();
        var request = new { text = Http.SampleText, numBeams = 1, maxLength = 4 };

        var first = ApiFactory.PostJsonAsync(client, "/summarize", request);
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(30)));
        var queued = ApiFactory.PostJsonAsync(client, "/summarize", request);
        await WaitForMetricAsync(client, "summarizer_queue_depth 1");
        using var rejected = await ApiFactory.PostJsonAsync(client, "/summarize", request);
        gate.Set();

        await Http.AssertProblemAsync(rejected, 503);
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        var body = await Http.ReadObjectAsync(await queued);
        Assert.True((double)body["timings"]!["queueMs"]! > 0, $"queueMs {body["timings"]!["queueMs"]}");
    }

    private static async Task WaitForMetricAsync(HttpClient client, string line)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await client.GetStringAsync("/metrics")).Contains(line))
        {
            Assert.True(DateTime.UtcNow < deadline, $"metric never showed '{line}'");
            await Task.Delay(20);
        }
    }
}
