using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using Summarizer.Api.Tests.Infrastructure;

namespace Summarizer.Api.Tests;

/// <summary>The request log: one line per request with sizes and model time, never the text.</summary>
public sealed class LoggingTests
{
    private sealed class CollectingSink : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }

    [Fact]
    public async Task Request_log_line_has_status_sizes_and_model_time_but_not_the_text()
    {
        var sink = new CollectingSink();
        using var factory = new ApiFactory { ExtraServices = services => services.AddSingleton<ILogEventSink>(sink) };
        factory.Settings["Serilog:MinimumLevel:Default"] = "Information";
        using var client = await factory.CreateReadyClientAsync();
        const string text = "The zanzibarian quokka festival drew nine thousand visitors to the harbour on Sunday, organisers said.";

        var body = await Http.ReadObjectAsync(await ApiFactory.PostJsonAsync(client, "/summarize", new { text, numBeams = 1, maxLength = 8 }));

        LogEvent? line = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (line is null && DateTime.UtcNow < deadline)
        {
            line = sink.Events.FirstOrDefault(e => e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == "\"/summarize\"");
            if (line is null) await Task.Delay(20);
        }
        Assert.NotNull(line);
        Assert.Equal("200", line.Properties["StatusCode"].ToString());
        Assert.Equal(text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Properties["InputChars"].ToString());
        Assert.Equal(((string)body["summary"]!).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Properties["OutputChars"].ToString());
        Assert.True(double.Parse(line.Properties["ModelMs"].ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(line.Properties.ContainsKey("RequestId"));
        Assert.True(line.Properties.ContainsKey("Elapsed"));
        Assert.DoesNotContain(sink.Events, e => e.RenderMessage().Contains("quokka", StringComparison.OrdinalIgnoreCase)
            || e.Properties.Values.Any(v => v.ToString().Contains("quokka", StringComparison.OrdinalIgnoreCase)));
    }
}
