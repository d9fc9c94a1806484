using System.Net;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>Optional API keys and per-client rate limiting.</summary>
public sealed class SecurityTests
{
    [Fact]
    public async Task With_api_keys_configured_requests_need_a_valid_key_and_health_stays_open()
    {
        using var keyed = new ApiFactory();
        keyed.Settings["Summarizer:ApiKeys:0"] = "alpha-key";
        keyed.Settings["Summarizer:ApiKeys:1"] = "beta-key";
        using var client = await keyed.CreateReadyClientAsync();

        using var none = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText });
        await Http.AssertProblemAsync(none, 401);
        Assert.Contains("X-Api-Key", none.Headers.WwwAuthenticate.ToString());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/info") { Headers = { { "X-Api-Key", "alpha-key-not" } } };
        await Http.AssertProblemAsync(await client.SendAsync(wrong), 401);

        using var right = new HttpRequestMessage(HttpMethod.Post, "/summarize")
        {
            Headers = { { "X-Api-Key", "beta-key" } },
            Content = System.Net.Http.Json.JsonContent.Create(new { text = Http.SampleText, numBeams = 1, maxLength = 4 }),
        };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Without_a_key_the_answer_is_401_before_the_body_is_read()
    {
        using var keyed = new ApiFactory();
        keyed.Settings["Summarizer:ApiKeys:0"] = "alpha-key";
        using var client = await keyed.CreateReadyClientAsync();

        // Bodies that would be 400s (malformed JSON, an unknown field) if they were read: the key is checked first.
        using var malformed = await Http.PostJsonTextAsync(client, "/summarize", "{\"text\": \"unterminated");
        using var unknownField = await Http.PostJsonTextAsync(client, "/summarize/batch", "{\"texts\": [\"a b\"], \"bogus\": 1}");

        await Http.AssertProblemAsync(malformed, 401);
        await Http.AssertProblemAsync(unknownField, 401);
    }

    [Fact]
    public async Task Past_the_rate_limit_a_client_gets_429_problem_with_retry_after_and_health_is_not_limited()
    {
        using var limited = new ApiFactory();
        limited.Settings["Summarizer:RateLimitPermits"] = "3";
        limited.Settings["Summarizer:RateLimitWindowSeconds"] = "60";
        using var client = await limited.CreateReadyClientAsync();

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/info")).StatusCode);
        using var rejected = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText });

        await Http.AssertProblemAsync(rejected, 429);
        Assert.NotNull(rejected.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate_limit(bool trustForwardedHeaders)
    {
        using var proxied = new ApiFactory();
        proxied.Settings["Summarizer:RateLimitPermits"] = "2";
        proxied.Settings["Summarizer:TrustForwardedHeaders"] = trustForwardedHeaders.ToString();
        using var client = await proxied.CreateReadyClientAsync();

        async Task<HttpStatusCode> InfoFrom(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/info") { Headers = { { "X-Forwarded-For", address } } };
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await InfoFrom("203.0.113.7"));
        Assert.Equal(HttpStatusCode.OK, await InfoFrom("203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await InfoFrom("203.0.113.7"));
        // Another client behind the same proxy: its own quota only when the forwarded address is trusted.
        Assert.Equal(trustForwardedHeaders ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests, await InfoFrom("198.51.100.9"));
    }
}
