using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Summarizer.Api.Services;

/// <summary>
/// Lists each operation's responses in status order in Swagger, success first: a group's problem responses come before
/// its endpoints' own in the endpoint metadata, which Swagger would otherwise follow.
/// </summary>
public sealed class ResponsesInStatusOrder : IOperationFilter
{
    /// <inheritdoc />
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Responses is not { Count: > 1 } responses)
            return;
        var ordered = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in ordered)
            responses.Add(status, response);
    }
}
