using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Summarizer.Api.Services;

/// <summary>Healthy once the model is loaded and warmed up (GET /health/ready).</summary>
public sealed class ModelReadyHealthCheck(ModelState state) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Summarizer is { } s
            ? HealthCheckResult.Healthy($"Model {s.Model.Name} loaded and warmed up.")
            : HealthCheckResult.Unhealthy("The model is still loading."));
}
