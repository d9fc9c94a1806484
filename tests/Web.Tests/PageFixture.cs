using System.Reflection;
using Microsoft.Playwright;

namespace Summarizer.Web.Tests;

/// <summary>One real API server and one headless Chromium (Debian's /usr/bin/chromium, never a downloaded one) shared by a test class.</summary>
public sealed class PageFixture : IAsyncLifetime
{
    /// <summary>Where Debian installs Chromium; Playwright drives it instead of downloading its own build.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _userDataDir = Path.Combine(Path.GetTempPath(), "web-tests-chromium-" + Guid.NewGuid().ToString("N"));
    private KestrelApiFactory? _factory;
    private IPlaywright? _playwright;
    private IBrowserContext? _browser;

    /// <summary>The repository's root folder (holds Summarizer.slnx, docs/ and tests/fixtures/).</summary>
    public static string RepositoryRoot { get; } = typeof(PageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>
    /// The bundle the server loads: the tiny fixture, or the one named by SUMMARIZER_WEB_MODEL (how docs/screenshot.png
    /// is made with the shipped model: <c>SUMMARIZER_WEB_MODEL=models/arcticxs-copy SUMMARIZER_SCREENSHOT=docs/screenshot.png
    /// dotnet test tests/Web.Tests</c>).
    /// </summary>
    public static string ModelPath { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("SUMMARIZER_WEB_MODEL") is { Length: > 0 } model ? model : Path.Combine("tests", "fixtures", "tiny"),
        RepositoryRoot);

    /// <summary>The server's root URL, where the page is served.</summary>
    public Uri BaseAddress => _factory?.BaseAddress ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>An HTTP client for calling the same server directly.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(ModelPath, "config.json")))
            throw new InvalidOperationException($"The fixture model is missing: expected {ModelPath}/config.json (made by training/make_fixtures.sh).");
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath} (apt-get install chromium).");

        _factory = new KestrelApiFactory(ModelPath);
        _factory.StartServer();
        await WaitUntilReadyAsync(TimeSpan.FromMinutes(2));

        _playwright = await Playwright.CreateAsync();
        Directory.CreateDirectory(_userDataDir);
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(_userDataDir, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic",
            ],
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
    }

    /// <summary>Polls /health/ready: the API loads the model and runs a warm-up summary after it starts listening.</summary>
    private async Task WaitUntilReadyAsync(TimeSpan limit)
    {
        using var client = CreateClient();
        var deadline = DateTime.UtcNow + limit;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync("health/ready");
                if (response.IsSuccessStatusCode) return;
                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e) { last = e.Message; }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The API was not ready within {limit.TotalSeconds} s (last /health/ready: {last}).");
    }

    /// <summary>A fresh tab at the given viewport size, with the page loaded.</summary>
    public async Task<IPage> OpenPageAsync(int width = 1280, int height = 900)
    {
        var page = await (_browser ?? throw new InvalidOperationException("The browser has not started.")).NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.SetViewportSizeAsync(width, height);
        // The page honours reduced motion by dropping its colour transitions, so computed colours are final when read.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ReducedMotion = ReducedMotion.Reduce });
        await page.GotoAsync(BaseAddress.ToString());
        return page;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        try { Directory.Delete(_userDataDir, recursive: true); } catch (IOException) { /* Chromium may still hold a lock file; it lives in /tmp. */ }
    }
}
