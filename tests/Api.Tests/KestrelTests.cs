using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>The real Kestrel server on a free loopback port, called over HTTP.</summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task Real_server_on_loopback_serves_summaries_and_enforces_the_body_limit()
    {
        using var factory = new ApiFactory();
        factory.Settings["Summarizer:MaxRequestBodyBytes"] = "4096";
        factory.UseKestrel();
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address);
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        await ApiFactory.WaitUntilReadyAsync(client);

        using var ok = await client.PostAsJsonAsync("/summarize", new { text = Http.SampleText, numBeams = 1, maxLength = 8 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.False(string.IsNullOrEmpty((string?)(await Http.ReadObjectAsync(ok))["summary"]));

        using var big = await client.PostAsJsonAsync("/summarize", new { text = new string('a', 10_000) });
        await Http.AssertProblemAsync(big, 413);

        using var stream = await client.PostAsJsonAsync("/summarize/stream", new { text = Http.SampleText, numBeams = 1, maxLength = 8 });
        var events = SseEvent.ParseAll(await stream.Content.ReadAsStringAsync());
        Assert.Equal("done", events.Last(e => e.Name is not null).Name);
    }
}
