using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Summarizer.Api.Services;
using Summarizer.Inference;

namespace Summarizer.Api.Tests.Infrastructure;

/// <summary>
/// The API in memory, running the real tiny model bundle. Settings override configuration ("Summarizer:..." keys);
/// <see cref="Decorate"/> wraps the real summarizer (to block, throw or observe cancellation in a test).
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Configuration overrides, e.g. ["Summarizer:MaxConcurrency"] = "1".</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Wraps the real summarizer; null keeps it as is.</summary>
    public Func<ISummarizer, ISummarizer>? Decorate { get; init; }

    /// <summary>Extra service registrations (e.g. a log sink), applied after the app's own.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(TestPaths.ApiProject);
        builder.UseSetting("Summarizer:ModelPath", TestPaths.TinyBundle);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:0");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (Decorate is { } decorate)
            builder.ConfigureTestServices(services => services.AddSingleton(sp => decorate(SummarizerFactory.Create(sp))));
        if (ExtraServices is { } extra) builder.ConfigureTestServices(extra);
    }

    /// <summary>A client once GET /health/ready says the model is loaded and warmed up.</summary>
    public async Task<HttpClient> CreateReadyClientAsync()
    {
        var client = CreateClient();
        await WaitUntilReadyAsync(client);
        return client;
    }

    /// <summary>Polls GET /health/ready until 200 (at most 60 s).</summary>
    public static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"/health/ready still says {(int)response.StatusCode} after 60 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>POSTs <paramref name="body"/> as JSON.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);
}
