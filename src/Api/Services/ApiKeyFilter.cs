using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Summarizer.Api.Services;

/// <summary>Requires a configured X-Api-Key on the endpoints it guards; lets everything through when no keys are configured.</summary>
public sealed class ApiKeyFilter(IOptions<SummarizerServiceOptions> options) : IEndpointFilter
{
    /// <summary>The request header carrying the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var keys = options.Value.ApiKeys;
        if (keys.Length == 0 || IsValid(keys, context.HttpContext.Request.Headers[HeaderName].ToString()))
            return await next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        return Problems.Status(StatusCodes.Status401Unauthorized, "A valid API key is required.",
            $"Send one of the configured keys in the {HeaderName} header.");
    }

    /// <summary>True when <paramref name="presented"/> equals one of <paramref name="keys"/>, compared in constant time.</summary>
    public static bool IsValid(string[] keys, string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        var p = Encoding.UTF8.GetBytes(presented);
        var match = false;
        foreach (var key in keys)
            match |= CryptographicOperations.FixedTimeEquals(p, Encoding.UTF8.GetBytes(key));
        return match;
    }
}
