using System.Text.Unicode;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Summarizer.Api.Services;

/// <summary>
/// Reads a JSON request body with errors a client can act on: 415 for another content type, 413 past the body
/// limit, 400 for invalid UTF-8, malformed JSON or an unknown field (with the JSON path).
/// </summary>
public static class JsonBody
{
    /// <summary>Reads and deserializes the body; exactly one of the two results is non-null.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, long maxBytes,
        JsonSerializerOptions json, CancellationToken cancellationToken) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                $"Send the body as application/json; got '{request.ContentType ?? "no Content-Type"}'."));
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));

        byte[] body;
        try
        {
            body = await ReadBoundedAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
        catch (InvalidDataException)
        {
            return (null, TooLarge(maxBytes));
        }

        if (!Utf8.IsValid(body))
            return (null, Problems.Status(StatusCodes.Status400BadRequest, "The request body is not valid UTF-8.",
                "Encode the JSON body as UTF-8."));
        try
        {
            var value = JsonSerializer.Deserialize<T>(body, json);
            return value is null
                ? (null, Problems.Status(StatusCodes.Status400BadRequest, "The request body is not a JSON object.", "Send a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Status(StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint.", e.Message));
        }
    }

    private static ProblemHttpResult TooLarge(long maxBytes) => Problems.Status(StatusCodes.Status413PayloadTooLarge,
        "The request body is too large.", $"The body limit is {maxBytes} bytes (Summarizer:MaxRequestBodyBytes, see GET /info).");

    private static async Task<byte[]> ReadBoundedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new InvalidDataException("Body over limit.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
