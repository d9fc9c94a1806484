using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Serilog;
using Summarizer.Api.Services;
using Summarizer.Inference;

namespace Summarizer.Api.Apis;

/// <summary>What the summarize handlers need from DI, bound with [AsParameters].</summary>
/// <param name="State">The model once ready.</param>
/// <param name="Gate">The concurrency gate.</param>
/// <param name="Options">Service settings.</param>
/// <param name="Json">The HTTP JSON options (camelCase).</param>
/// <param name="Metrics">Prometheus metrics.</param>
/// <param name="Diagnostics">Extra fields for the request log.</param>
/// <param name="LoggerFactory">Logger source.</param>
public sealed record SummarizeServices(
    ModelState State,
    GenerationGate Gate,
    IOptions<SummarizerServiceOptions> Options,
    IOptions<JsonOptions> Json,
    ServiceMetrics Metrics,
    IDiagnosticContext Diagnostics,
    ILoggerFactory LoggerFactory)
{
    /// <summary>Adds a request's results to the metrics and the request log (sizes and model time, never the text).</summary>
    public void Record(int inputChars, IReadOnlyList<SummaryResult> results)
    {
        foreach (var result in results)
        {
            if (result.Mode == SummaryMode.Abstractive) // an extractive summary's tokens are the source's, not generated
                Metrics.TokensGenerated.Inc(result.SummaryTokens.Count);
            Metrics.GenerationDuration.Observe(result.Timings.TotalMs / 1000.0);
        }
        Diagnostics.Set("InputChars", inputChars);
        Diagnostics.Set("OutputChars", results.Sum(r => r.Summary.Length));
        Diagnostics.Set("ModelMs", results.Sum(r => r.Timings.TotalMs));
    }
}
