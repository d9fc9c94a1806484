using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Summarizer.Api.Services;

/// <summary>
/// Named request examples for the summarize endpoints in Swagger, one per mode: the request schema's per-field examples
/// hold both modes' options, which no valid request sets together, so "Try it out" starts from one of these instead.
/// </summary>
public sealed class RequestExamples : IOperationFilter
{
    private const string Text = "The city council voted on Tuesday to build a new bridge over the river. The bridge will cost 20 million dollars " +
        "and open in 2028, officials said. Residents have asked for a crossing for more than a decade.";

    /// <inheritdoc />
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var texts = operation.OperationId switch
        {
            "Summarize" or "SummarizeStream" => $$"""{"text": {{JsonValue.Create(Text).ToJsonString()}}""",
            "SummarizeBatch" => $$"""{"texts": [{{JsonValue.Create(Text).ToJsonString()}}, "Heavy rain closed three schools on Monday."]""",
            _ => null,
        };
        if (texts is null || operation.RequestBody?.Content?.TryGetValue("application/json", out var body) != true || body is not OpenApiMediaType json)
            return;
        json.Examples ??= new Dictionary<string, IOpenApiExample>();
        json.Examples["abstractive"] = new OpenApiExample
        {
            Summary = "Abstractive: the decoder writes the summary (decoding options apply)",
            Value = JsonNode.Parse(texts + """, "mode": "abstractive", "numBeams": 4, "attention": "aggregate"}"""),
        };
        json.Examples["extractive"] = new OpenApiExample
        {
            Summary = "Extractive: the text's best sentences as written (needs a model with a sentence selector)",
            Value = JsonNode.Parse(texts + """, "mode": "extractive", "sentenceCount": 2, "sentenceOrder": "offset", "attention": "aggregate"}"""),
        };
    }
}
