namespace Summarizer.Api;

/// <summary>
/// Every setting of the service, bound from the "Summarizer" section of appsettings.json and from environment
/// variables such as <c>Summarizer__ModelPath</c>. Checked at startup by <see cref="SummarizerServiceOptionsValidator"/>.
/// </summary>
public sealed class SummarizerServiceOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Summarizer";

    /// <summary>Model bundle directory; a relative path is resolved against the content root (src/Api when run from source).</summary>
    public string ModelPath { get; set; } = "../../models/arcticxs-copy";

    /// <summary>Most characters in one text; longer texts get 413.</summary>
    public int MaxTextChars { get; set; } = 20_000;

    /// <summary>Most texts in one /summarize/batch request.</summary>
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>Most generations running at once (each is CPU-bound); defaults to the processor count.</summary>
    public int MaxConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>Most requests waiting for a generation slot; past it requests get 503 with Retry-After.</summary>
    public int QueueLength { get; set; } = 32;

    /// <summary>
    /// Threads the ONNX encoder may use inside one request; 0 lets ONNX Runtime choose (one per core). Concurrent requests
    /// share the pool, whose threads sleep rather than spin between calls.
    /// </summary>
    public int IntraOpThreads { get; set; } = 2;

    /// <summary>
    /// Threads a summary's decoder may use: 2 lets a request that is alone in the service share its int8 products with the
    /// second core (the same summaries), 1 keeps every request on one core.
    /// </summary>
    public int DecoderThreads { get; set; } = 2;

    /// <summary>Accepted X-Api-Key values; empty turns API-key authentication off.</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>Requests per client (API key, else remote IP) per window; 0 turns rate limiting off.</summary>
    public int RateLimitPermits { get; set; }

    /// <summary>Length of the rate-limit window in seconds.</summary>
    public int RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>Seconds between ": keep-alive" comment lines on /summarize/stream.</summary>
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>Largest request body in bytes (Kestrel's MaxRequestBodySize, also enforced by the JSON reader).</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Value of the Retry-After header on 503 responses, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// Behind a reverse proxy (nginx, an ingress): take the client address from X-Forwarded-For, so per-client rate
    /// limits and logs see clients, not the proxy. Leave off when clients reach the service directly (they could forge it).
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>The model path made absolute: relative paths are resolved against <paramref name="contentRoot"/>.</summary>
    public string ResolveModelPath(string contentRoot) => Path.GetFullPath(ModelPath, contentRoot);
}
