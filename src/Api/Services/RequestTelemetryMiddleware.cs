using System.Diagnostics;
using Serilog;

namespace Summarizer.Api.Services;

/// <summary>Counts and times every request by route pattern and status, and seeds the request log's size fields.</summary>
public sealed class RequestTelemetryMiddleware(RequestDelegate next, ServiceMetrics metrics, IDiagnosticContext diagnostics)
{
    /// <summary>Runs the rest of the pipeline and records it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        diagnostics.Set("InputChars", 0);
        diagnostics.Set("OutputChars", 0);
        diagnostics.Set("ModelMs", 0.0);
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        // A group prefix plus "" reads "/summarize/"; the label drops the trailing slash.
        var endpoint = pattern is null ? "other" : pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
        var clock = Stopwatch.StartNew();
        var status = 500;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var labels = new[] { endpoint, context.Request.Method, status.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            metrics.Requests.WithLabels(labels).Inc();
            metrics.RequestDuration.WithLabels(labels).Observe(clock.Elapsed.TotalSeconds);
        }
    }
}
