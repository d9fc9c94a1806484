using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Summarizer.Api.Services;

/// <summary>Per-client fixed-window rate limiting (ASP.NET Core's rate limiter), partitioned by valid API key, else by remote IP.</summary>
public static class RateLimiting
{
    /// <summary>Name of the policy the API endpoints require.</summary>
    public const string PolicyName = "per-client";

    /// <summary>Registers the policy and the 429 problem response.</summary>
    public static IServiceCollection AddPerClientRateLimiting(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.AddPolicy(PolicyName, http =>
        {
            var o = http.RequestServices.GetRequiredService<IOptions<SummarizerServiceOptions>>().Value;
            if (o.RateLimitPermits == 0) return RateLimitPartition.GetNoLimiter("off");
            return RateLimitPartition.GetFixedWindowLimiter(ClientKey(http, o), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = o.RateLimitPermits,
                Window = TimeSpan.FromSeconds(o.RateLimitWindowSeconds),
                QueueLimit = 0,
            });
        });
        limiter.OnRejected = async (context, cancellationToken) =>
        {
            var o = context.HttpContext.RequestServices.GetRequiredService<IOptions<SummarizerServiceOptions>>().Value;
            var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(o.RateLimitWindowSeconds);
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Problems.Status(StatusCodes.Status429TooManyRequests, "Too many requests.",
                    $"The limit is {o.RateLimitPermits} requests per {o.RateLimitWindowSeconds} s per client; retry after the Retry-After header's seconds.")
                .ExecuteAsync(context.HttpContext);
        };
    });

    /// <summary>A configured API key names the client; otherwise its remote IP does (unknown keys cannot mint partitions).</summary>
    private static string ClientKey(HttpContext http, SummarizerServiceOptions o)
    {
        var key = http.Request.Headers[ApiKeyAuthenticationHandler.HeaderName].ToString();
        return o.ApiKeys.Length > 0 && ApiKeyAuthenticationHandler.IsValid(o.ApiKeys, key)
            ? "key:" + key
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
