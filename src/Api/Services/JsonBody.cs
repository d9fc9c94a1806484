using System.Text.Unicode;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Summarizer.Api.Services;

/// <summary>
/// Binds a JSON request body with errors a client can act on: 415 for another content type, 413 past the body
/// limit (Summarizer:MaxRequestBodyBytes), 400 for invalid UTF-8, malformed JSON, null or an unknown field (with the
/// JSON path). Each refusal is a <see cref="ProblemException"/>.
/// </summary>
public static class JsonBody
{
    /// <summary>The framework's binding hook for the request records (<see cref="IBindableFromHttpContext{TSelf}"/>).</summary>
    public static async ValueTask<T?> BindAsync<T>(HttpContext http) where T : class
    {
        var services = http.RequestServices;
        return await ReadAsync<T>(http.Request, services.GetRequiredService<IOptions<SummarizerServiceOptions>>().Value.MaxRequestBodyBytes,
            services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions, http.RequestAborted);
    }

    /// <summary>Reads and deserializes the body.</summary>
    /// <exception cref="ProblemException">The body cannot be read as a <typeparamref name="T"/>.</exception>
    public static async Task<T> ReadAsync<T>(HttpRequest request, long maxBytes, JsonSerializerOptions json,
        CancellationToken cancellationToken) where T : class
    {
        if (!request.HasJsonContentType())
            throw new ProblemException(Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                $"Send the body as application/json; got '{request.ContentType ?? "no Content-Type"}'."));
        if (request.ContentLength > maxBytes)
            throw TooLarge(maxBytes);

        byte[] body;
        try
        {
            body = await ReadBoundedAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        catch (InvalidDataException)
        {
            throw TooLarge(maxBytes);
        }

        if (!Utf8.IsValid(body))
            throw new ProblemException(Problems.Status(StatusCodes.Status400BadRequest, "The request body is not valid UTF-8.",
                "Encode the JSON body as UTF-8."));
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, json);
        }
        catch (JsonException e)
        {
            throw new ProblemException(Problems.Status(StatusCodes.Status400BadRequest, "The request body is not valid JSON for this endpoint.", e.Message));
        }
        return value ?? throw new ProblemException(Problems.Status(StatusCodes.Status400BadRequest,
            "The request body is not a JSON object.", "Send a JSON object, not null."));
    }

    private static ProblemException TooLarge(long maxBytes) => new(Problems.Status(StatusCodes.Status413PayloadTooLarge,
        "The request body is too large.", $"The body limit is {maxBytes} bytes (Summarizer:MaxRequestBodyBytes, see GET /info)."));

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
