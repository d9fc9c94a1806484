using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Summarizer.Api.Services;

/// <summary>
/// A request the service refuses, with the problem to answer: thrown by the request's binding and checks, answered
/// by <see cref="ProblemExceptionHandler"/>, so a handler reads as the successful path only.
/// </summary>
/// <param name="problem">The RFC 7807 response.</param>
/// <param name="retryAfterSeconds">A Retry-After to send with it (the exception handler clears headers set before the throw).</param>
public sealed class ProblemException(ProblemHttpResult problem, int? retryAfterSeconds = null) : Exception(problem.ProblemDetails.Detail)
{
    /// <summary>The RFC 7807 response for the client.</summary>
    public ProblemHttpResult Problem { get; } = problem;

    /// <summary>503 "busy" with a Retry-After header.</summary>
    public static ProblemException Unavailable(int retryAfterSeconds, string detail) =>
        new(Problems.Unavailable(detail), retryAfterSeconds);

    /// <summary>Writes the problem (and its Retry-After).</summary>
    public Task ExecuteAsync(HttpContext http)
    {
        if (retryAfterSeconds is { } seconds)
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problem.ExecuteAsync(http);
    }
}
