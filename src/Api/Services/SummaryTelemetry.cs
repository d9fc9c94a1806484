using Serilog;
using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>
/// Records finished summaries: generated tokens and model time in the metrics, sizes and model time in the request log
/// (whose fields <see cref="RequestTelemetryMiddleware"/> seeds with zeros) — never the text.
/// </summary>
public sealed class SummaryTelemetry(ServiceMetrics metrics, IDiagnosticContext diagnostics)
{
    /// <summary>Adds a request's results: <paramref name="inputChars"/> characters in, one result per text.</summary>
    public void Record(int inputChars, IReadOnlyList<SummaryResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            if (result.Mode == SummaryMode.Abstractive) // an extractive summary's tokens are the source's, not generated
                metrics.TokensGenerated.Inc(result.SummaryTokens.Count);
            metrics.GenerationDuration.Observe(result.Timings.TotalMs / 1000.0);
        }
        diagnostics.Set("InputChars", inputChars);
        diagnostics.Set("OutputChars", results.Sum(r => r.Summary.Length));
        diagnostics.Set("ModelMs", results.Sum(r => r.Timings.TotalMs));
    }
}
