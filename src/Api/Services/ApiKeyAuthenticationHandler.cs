using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Summarizer.Api.Services;

/// <summary>
/// The optional X-Api-Key scheme: with Summarizer:ApiKeys configured a request needs one of them, compared in constant
/// time; with none configured every request is let in. As authentication it runs before the request body is read, so
/// an unauthenticated client gets its 401 without the service parsing what it sent.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger,
    UrlEncoder encoder, IOptions<SummarizerServiceOptions> options) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The authorization policy the guarded endpoints require.</summary>
    public const string PolicyName = "ApiKey";

    /// <summary>The request header carrying the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var keys = options.Value.ApiKeys;
        if (keys.Length > 0 && !IsValid(keys, Request.Headers[HeaderName].ToString()))
            return Task.FromResult(AuthenticateResult.NoResult());
        var identity = new ClaimsIdentity(SchemeName); // who the client is does not matter, only that it may call
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        return Problems.Status(StatusCodes.Status401Unauthorized, "A valid API key is required.",
            $"Send one of the configured keys in the {HeaderName} header.").ExecuteAsync(Context);
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
