using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>Health, info, metrics, Swagger, the page at / and startup validation.</summary>
public sealed class ServiceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Health_live_and_ready_are_200_once_the_model_is_warm()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Before_the_model_is_ready_ready_is_503_and_summarize_is_503_with_retry_after()
    {
        using var loading = new ManualResetEventSlim();
        using var slow = new ApiFactory
        {
            Decorate = inner => new HookedSummarizer(inner) { HookWarmup = true, Before = ct => loading.Wait(TimeSpan.FromSeconds(30), ct) },
        };
        using var client = slow.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");
        using var summarize = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText });
        using var info = await client.GetAsync("/info");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        await Http.AssertProblemAsync(summarize, 503);
        Assert.NotNull(summarize.Headers.RetryAfter);
        await Http.AssertProblemAsync(info, 503);
        Assert.NotNull(info.Headers.RetryAfter);

        loading.Set();
        await ApiFactory.WaitUntilReadyAsync(client);
        using var after = await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, numBeams = 1, maxLength = 4 });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Info_shows_model_card_defaults_ranges_and_limits()
    {
        using var client = await factory.CreateReadyClientAsync();

        var info = await Http.ReadObjectAsync(await client.GetAsync("/info"));

        var model = info["model"]!;
        Assert.Equal(TinyConfig.Name, (string)model["name"]!);
        Assert.Equal(TinyConfig.MaxTargetLength, (int)model["config"]!["maxTargetLength"]!);
        Assert.NotNull(model["card"]!["training"]);
        var defaults = info["defaults"]!;
        Assert.Equal(TinyConfig.DefaultNumBeams, (int)defaults["numBeams"]!);
        Assert.Equal(Math.Min(TinyConfig.DefaultMaxLength, TinyConfig.MaxTargetLength), (int)defaults["maxLength"]!);
        var ranges = info["optionRanges"]!;
        Assert.Equal(16, (double)ranges["numBeams"]!["max"]!);
        Assert.Equal(TinyConfig.MaxTargetLength, (double)ranges["maxLength"]!["max"]!);
        Assert.Equal(["none", "aggregate", "full"], info["attentionValues"]!.AsArray().Select(v => (string)v!));
        var limits = info["limits"]!;
        var configured = factory.Services.GetRequiredService<IOptions<SummarizerServiceOptions>>().Value;
        Assert.Equal(configured.MaxTextChars, (int)limits["maxTextChars"]!);
        Assert.Equal(configured.MaxBatchSize, (int)limits["maxBatchSize"]!);
        Assert.Equal(configured.MaxConcurrency, (int)limits["maxConcurrency"]!);
        Assert.False((bool)limits["apiKeyRequired"]!);
        Assert.Equal(TinyConfig.MaxSourceLength, (int)limits["maxSourceTokens"]!);
    }

    [Fact]
    public async Task Metrics_count_requests_by_endpoint_and_status_and_show_tokens_queue_and_in_flight()
    {
        using var own = new ApiFactory();
        using var client = await own.CreateReadyClientAsync();
        var summary = await Http.ReadObjectAsync(await ApiFactory.PostJsonAsync(client, "/summarize", new { text = Http.SampleText, numBeams = 1, maxLength = 6 }));
        using var bad = await Http.PostJsonTextAsync(client, "/summarize", "{}");

        var metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("summarizer_http_requests_total{endpoint=\"/summarize\",method=\"POST\",status=\"200\"} 1", metrics);
        Assert.Contains("summarizer_http_requests_total{endpoint=\"/summarize\",method=\"POST\",status=\"400\"} 1", metrics);
        Assert.Contains("summarizer_http_request_duration_seconds_bucket{endpoint=\"/summarize\",method=\"POST\",status=\"200\"", metrics);
        Assert.Contains($"summarizer_tokens_generated_total {summary["summaryTokens"]!.AsArray().Count}", metrics);
        Assert.Contains("summarizer_queue_depth 0", metrics);
        Assert.Contains("summarizer_generations_in_flight 0", metrics);
        Assert.Contains("process_working_set_bytes", metrics);
    }

    [Fact]
    public async Task Swagger_documents_every_endpoint_error_responses_and_an_example()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var ui = await client.GetAsync("/swagger/index.html");
        var doc = JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;

        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        var paths = doc["paths"]!.AsObject();
        foreach (var path in new[] { "/summarize", "/summarize/batch", "/summarize/stream", "/info", "/health/live", "/health/ready" })
            Assert.True(paths.ContainsKey(path), path);
        var summarize = paths["/summarize"]!["post"]!;
        foreach (var status in new[] { "200", "400", "401", "413", "415", "429", "500", "503" })
            Assert.True(summarize["responses"]!.AsObject().ContainsKey(status), status);
        Assert.Contains("text/event-stream", paths["/summarize/stream"]!["post"]!["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key));
        Assert.Contains("(/)", (string)doc["info"]!["description"]!);
        var request = doc["components"]!["schemas"]!["SummarizeRequest"]!;
        Assert.False(string.IsNullOrEmpty((string?)request["properties"]!["text"]!["example"]));
        Assert.False(string.IsNullOrEmpty((string?)request["properties"]!["text"]!["description"]));
        // Option ranges come from the validator's rules, not from restated prose.
        var beams = request["properties"]!["numBeams"]!;
        Assert.Equal(1, (int)beams["minimum"]!);
        Assert.Equal(Summarizer.Inference.DecodingOptionsValidator.Rule("numBeams").Maximum, (int)beams["maximum"]!);
        Assert.Equal(Summarizer.Inference.DecodingOptionsValidator.Rule("noRepeatNgramSize").Maximum, (int)request["properties"]!["noRepeatNgramSize"]!["maximum"]!);
        Assert.False(string.IsNullOrEmpty((string?)beams["description"]));
    }

    [Fact]
    public async Task The_page_is_served_at_the_root()
    {
        using var client = await factory.CreateReadyClientAsync();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void A_model_path_that_does_not_exist_stops_startup_naming_the_path()
    {
        var (exitCode, error) = RunServiceExpectingExit("--Summarizer:ModelPath=/nonexistent/model-bundle-xyz");

        Assert.Equal(2, exitCode);
        Assert.Contains("/nonexistent/model-bundle-xyz", error);
        Assert.Contains("Summarizer:ModelPath", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_bundle_that_fails_to_load_ends_the_process_with_a_failure_exit_code()
    {
        // A bundle with its config.json (so start-up validation passes) but without its decoder weights.
        var broken = Path.Combine(Path.GetTempPath(), "summarizer-broken-bundle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(broken);
        try
        {
            foreach (var file in Directory.GetFiles(TestPaths.TinyBundle).Where(f => Path.GetFileName(f) != "decoder.safetensors"))
                File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));

            var (exitCode, _) = RunServiceExpectingExit($"--Summarizer:ModelPath={broken}");

            Assert.Equal(1, exitCode);
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }
    }

    [Theory]
    [InlineData("Summarizer:MaxConcurrency", "0")]
    [InlineData("Summarizer:QueueLength", "-1")]
    [InlineData("Summarizer:MaxTextChars", "0")]
    [InlineData("Summarizer:KeepAliveSeconds", "5000000")]
    [InlineData("Summarizer:DecoderThreads", "3")]
    [InlineData("Summarizer:IntraOpThreads", "-1")]
    public void Invalid_settings_stop_startup_naming_the_setting(string key, string value)
    {
        var (exitCode, error) = RunServiceExpectingExit($"--{key}={value}");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Configuration error:", error.TrimStart());
        Assert.Contains(key, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void A_port_in_use_stops_startup_with_a_one_line_reason()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exitCode, error) = RunServiceExpectingExit($"--Summarizer:ModelPath={TestPaths.TinyBundle}", $"http://127.0.0.1:{port}");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Configuration error:", error.TrimStart());
        Assert.Contains("--urls", error);
        Assert.DoesNotContain("   at ", error);
    }

    // The real service process, as an operator starts it: a bad setting must end it with a one-line reason.
    private static (int ExitCode, string Error) RunServiceExpectingExit(string setting, string url = "http://127.0.0.1:0")
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestPaths.ApiProject,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Summarizer.Api.dll"));
        start.ArgumentList.Add(setting);
        start.ArgumentList.Add($"--Kestrel:Endpoints:Http:Url={url}");
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The service kept running with {setting}.");
        }
        return (process.ExitCode, error.Result);
    }
}
