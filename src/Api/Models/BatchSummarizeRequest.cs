using System.Reflection;
using System.Text.Json.Serialization;
using Summarizer.Api.Services;

namespace Summarizer.Api.Models;

/// <summary>Body of POST /summarize/batch: several texts, one set of options.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BatchSummarizeRequest : DecodingRequest, IBindableFromHttpContext<BatchSummarizeRequest>
{
    /// <summary>The texts to summarize, 1..the configured batch limit (GET /info); each as in POST /summarize.</summary>
    /// <example>["The council voted to build a new bridge.", "Heavy rain closed three schools on Monday."]</example>
    public IReadOnlyList<string?>? Texts { get; init; }

    /// <summary>Bound from the JSON body by <see cref="JsonBody"/> (its problems for a body that is not one).</summary>
    public static ValueTask<BatchSummarizeRequest?> BindAsync(HttpContext context, ParameterInfo parameter) => JsonBody.BindAsync<BatchSummarizeRequest>(context);
}
