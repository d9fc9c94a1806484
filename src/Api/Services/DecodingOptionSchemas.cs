using System.Globalization;
using Microsoft.OpenApi;
using Summarizer.Inference;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Summarizer.Api.Services;

/// <summary>
/// The OpenAPI schema's minimum and maximum of every decoding option, from the validator's rules (decoding-rules.json),
/// on each request type that takes them. A bound that depends on the model (maxLength's) is left to GET /info.
/// </summary>
public sealed class DecodingOptionSchemas : ISchemaFilter
{
    /// <inheritdoc />
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!typeof(DecodingOverrides).IsAssignableFrom(context.Type) || schema?.Properties is not { } properties)
            return;
        foreach (var rule in DecodingOptionsValidator.Rules.Where(r => r.Kind != DecodingOptionKind.Boolean))
        {
            if (!properties.TryGetValue(rule.Name, out var property) || property is not OpenApiSchema option)
                continue;
            option.Minimum = rule.Minimum.ToString(CultureInfo.InvariantCulture);
            if (rule.Maximum is { } maximum)
                option.Maximum = maximum.ToString(CultureInfo.InvariantCulture);
        }
    }
}
