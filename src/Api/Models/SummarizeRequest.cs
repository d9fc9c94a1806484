using System.Reflection;
using System.Text.Json.Serialization;
using Summarizer.Api.Services;

namespace Summarizer.Api.Models;

/// <summary>Body of POST /summarize and POST /summarize/stream.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SummarizeRequest : DecodingRequest, IBindableFromHttpContext<SummarizeRequest>
{
    /// <summary>The text to summarize: ordinary prose, any casing. Required, at most the configured character limit (GET /info).</summary>
    /// <example>The city council voted on Tuesday to build a new bridge over the river. The bridge will cost 20 million dollars and open in 2028, officials said.</example>
    public string? Text { get; init; }

    /// <summary>Bound from the JSON body by <see cref="JsonBody"/> (its problems for a body that is not one).</summary>
    public static ValueTask<SummarizeRequest?> BindAsync(HttpContext context, ParameterInfo parameter) => JsonBody.BindAsync<SummarizeRequest>(context);
}
