using Summarizer.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;
using Summarizer.Api.Models;
using Summarizer.Api.Services;

namespace Summarizer.Api.Apis;

/// <summary>GET /info, the health probes and GET /metrics.</summary>
public static class ServiceApi
{
    /// <summary>Maps /info (API key and rate limit apply), /health/live, /health/ready and /metrics (open to scrapers).</summary>
    public static IEndpointRouteBuilder MapServiceApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/info", GetInfo)
            .WithTags("Service")
            .WithName("Info")
            .WithSummary("The model card, its modes, default options, option ranges and service limits.")
            .RequireAuthorization(ApiKeyAuthenticationHandler.PolicyName)
            .RequireRateLimiting(RateLimiting.PolicyName)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", GetLive)
            .WithName("Live")
            .WithSummary("200 while the process runs (liveness probe; never needs an API key).");
        health.MapGet("/ready", GetReadyAsync)
            .WithName("Ready")
            .WithSummary("200 once the model is loaded and a warm-up summary ran, 503 before (readiness probe; never needs an API key).")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<ServiceMetrics>().Registry);
        return app;
    }

    /// <summary>The process is up.</summary>
    public static Ok<HealthResponse> GetLive() => TypedResults.Ok(new HealthResponse("Healthy", "The process is running."));

    /// <summary>Runs the checks tagged "ready" (the model check).</summary>
    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetReadyAsync(
        HealthCheckService checks, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains("ready"), cancellationToken);
        var body = new HealthResponse(report.Status.ToString(), string.Join(" ", report.Entries.Values.Select(e => e.Description)));
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(body)
            : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The model card, default options, option ranges and service limits; 503 while the model loads.</summary>
    public static Ok<InfoResponse> GetInfo(ModelState state, IOptions<SummarizerServiceOptions> options)
    {
        var o = options.Value;
        var summarizer = state.Summarizer ?? throw ProblemException.Unavailable(o.RetryAfterSeconds, "The model is still loading; see GET /health/ready.");
        var model = summarizer.Model;
        var ranges = new Dictionary<string, OptionRange>(DecodingOptionsResolver.Ranges(model));
        if (SummaryModeResolver.SentenceCountRange(model) is { } sentenceCount)
            ranges["sentenceCount"] = sentenceCount;
        return TypedResults.Ok(new InfoResponse(
            model,
            model.Defaults,
            ranges,
            DecodingOptionsResolver.AttentionValues,
            SummaryModeResolver.Modes(model),
            SummaryModeResolver.Defaults(model),
            SummaryModeResolver.SentenceOrderValues,
            new ServiceLimits(o.MaxTextChars, o.MaxBatchSize, o.MaxRequestBodyBytes, o.MaxConcurrency, o.QueueLength, o.KeepAliveSeconds,
                o.RateLimitPermits, o.RateLimitWindowSeconds, o.ApiKeys.Length > 0, model.Config.MaxSourceLength, model.Config.MaxTargetLength),
            SummarizeApi.StreamingNote));
    }
}
