namespace Summarizer.Api.Models;

/// <summary>Body of the health probes.</summary>
/// <param name="Status">"Healthy" or "Unhealthy".</param>
/// <param name="Description">Why, in a sentence.</param>
public sealed record HealthResponse(string Status, string? Description);
