using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Summarizer.Api.Services;

/// <summary>
/// Writes a Server-Sent Events response. The response starts — 200, text/event-stream, neither cached nor buffered by a
/// proxy — with the first event, so until then the request can still be answered with a plain problem response.
/// </summary>
public sealed class ServerSentEventWriter(HttpContext http, JsonSerializerOptions json)
{
    /// <summary>Whether the event stream has started (an event was written).</summary>
    public bool Started { get; private set; }

    /// <summary>Writes one event: <c>event: name</c> and <c>data:</c> <paramref name="data"/> as JSON; starts the stream first if need be.</summary>
    public Task WriteEventAsync(string name, object data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        Start();
        return http.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, data.GetType(), json)}\n\n", cancellationToken);
    }

    /// <summary>Writes a comment line (<c>: comment</c>), which clients ignore.</summary>
    public Task WriteCommentAsync(string comment, CancellationToken cancellationToken) =>
        http.Response.WriteAsync($": {comment}\n\n", cancellationToken);

    /// <summary>Sends what was written so far.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => http.Response.Body.FlushAsync(cancellationToken);

    private void Start()
    {
        if (Started) return;
        Started = true;
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }
}
