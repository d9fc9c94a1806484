using Prometheus;

namespace Summarizer.Api.Services;

/// <summary>The service's Prometheus metrics, in a registry of its own (exposed at GET /metrics).</summary>
public sealed class ServiceMetrics
{
    /// <summary>Creates the registry with process/.NET runtime metrics and the service's own metrics.</summary>
    public ServiceMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        string[] http = ["endpoint", "method", "status"];
        Requests = factory.CreateCounter("summarizer_http_requests_total", "HTTP requests by endpoint, method and status.", http);
        RequestDuration = factory.CreateHistogram("summarizer_http_request_duration_seconds", "HTTP request latency by endpoint, method and status.",
            new HistogramConfiguration { LabelNames = http, Buckets = Histogram.ExponentialBuckets(0.001, 2, 17) });
        TokensGenerated = factory.CreateCounter("summarizer_tokens_generated_total", "Summary tokens generated (end-of-sequence excluded).");
        QueueDepth = factory.CreateGauge("summarizer_queue_depth", "Requests waiting for a generation slot.");
        InFlight = factory.CreateGauge("summarizer_generations_in_flight", "Generations running now.");
        Rejected = factory.CreateCounter("summarizer_rejected_total", "Requests turned away with 503 because the queue was full.");
        Cancelled = factory.CreateCounter("summarizer_generations_cancelled_total", "Generations stopped because the client disconnected.");
        GenerationDuration = factory.CreateHistogram("summarizer_generation_duration_seconds", "Model time per summary (tokenize + encode + decode).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 17) });
    }

    /// <summary>The registry GET /metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>HTTP requests by endpoint, method, status.</summary>
    public Counter Requests { get; }

    /// <summary>HTTP latency by endpoint, method, status.</summary>
    public Histogram RequestDuration { get; }

    /// <summary>Summary tokens generated.</summary>
    public Counter TokensGenerated { get; }

    /// <summary>Requests waiting for a slot.</summary>
    public Gauge QueueDepth { get; }

    /// <summary>Generations running.</summary>
    public Gauge InFlight { get; }

    /// <summary>Requests rejected with 503 (queue full).</summary>
    public Counter Rejected { get; }

    /// <summary>Generations cancelled by a client disconnect.</summary>
    public Counter Cancelled { get; }

    /// <summary>Model time per summary.</summary>
    public Histogram GenerationDuration { get; }
}
