namespace Summarizer.Api.Models;

/// <summary>The service's configured limits (section "Summarizer").</summary>
/// <param name="MaxTextChars">Most characters per text (413 past it).</param>
/// <param name="MaxBatchSize">Most texts per batch request.</param>
/// <param name="MaxRequestBodyBytes">Largest request body (413 past it).</param>
/// <param name="MaxConcurrency">Generations running at once.</param>
/// <param name="QueueLength">Requests that may wait for a slot (503 past it).</param>
/// <param name="KeepAliveSeconds">Seconds between keep-alive comments on the stream.</param>
/// <param name="RateLimitPermits">Requests per client per window; 0 = off.</param>
/// <param name="RateLimitWindowSeconds">Rate-limit window.</param>
/// <param name="ApiKeyRequired">Whether X-Api-Key is required.</param>
/// <param name="MaxSourceTokens">Model tokens the encoder reads; the rest of a longer input is truncated.</param>
/// <param name="MaxTargetTokens">Most tokens a summary can have.</param>
public sealed record ServiceLimits(
    int MaxTextChars, int MaxBatchSize, long MaxRequestBodyBytes, int MaxConcurrency, int QueueLength, int KeepAliveSeconds,
    int RateLimitPermits, int RateLimitWindowSeconds, bool ApiKeyRequired, int MaxSourceTokens, int MaxTargetTokens);
