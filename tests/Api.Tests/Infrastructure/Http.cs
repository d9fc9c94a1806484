using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Summarizer.Api.Tests.Infrastructure;

/// <summary>Small HTTP helpers for the tests.</summary>
public static class Http
{
    /// <summary>A sample English text (prose, mixed casing and punctuation).</summary>
    public const string SampleText =
        "The city council voted on Tuesday to build a new bridge over the river. The bridge will cost 20 million dollars " +
        "and is expected to open in 2028, officials said. Residents have asked for a crossing for more than a decade.";

    /// <summary>POSTs raw bytes with a content type.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PostAsync(path, content);
    }

    /// <summary>POSTs a JSON string.</summary>
    public static Task<HttpResponseMessage> PostJsonTextAsync(HttpClient client, string path, string json) =>
        PostRawAsync(client, path, Encoding.UTF8.GetBytes(json), "application/json");

    /// <summary>Reads the body as a JSON object.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts an RFC 7807 problem response with <paramref name="status"/> and returns its body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.DoesNotContain("   at ", text);
        return problem;
    }
}
