using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>
/// The one place where exceptions become problems, by type: a refused request (<see cref="ProblemException"/>), a text
/// the model cannot summarize (400 naming the field), a malformed request the framework rejected; anything else is
/// a bug — a 500 without details, the exception only logged. A client that left is answered 499 by the middleware itself.
/// The event stream, which answers its own errors (<see cref="Apis.SummaryStreamResult"/>), takes them from <see cref="ProblemFor"/> too.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>
    /// The problem to answer for <paramref name="exception"/>: an expected failure's, by type; for a bug, logged with
    /// <paramref name="logger"/>, a 500 without details that names the request id.
    /// </summary>
    public static ProblemHttpResult ProblemFor(Exception exception, HttpContext http, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(logger);
        var expected = exception switch
        {
            ProblemException refused => refused.Problem,
            UnsummarizableTextException text => Problems.Validation(text.ParamName!, text.Reason),
            BadHttpRequestException bad => Problems.Status(bad.StatusCode, "Bad request.", bad.Message),
            _ => null,
        };
        if (expected is not null)
            return expected;
        logger.LogError(exception, "Unhandled exception for {Method} {Path}", http.Request.Method, http.Request.Path);
        return Problems.Status(StatusCodes.Status500InternalServerError,
            "An unexpected error occurred.", $"The error was logged with request id {http.TraceIdentifier}.");
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // A refusal is written with its Retry-After, which its problem alone does not carry.
        await (exception is ProblemException refused
            ? refused.ExecuteAsync(httpContext)
            : ProblemFor(exception, httpContext, logger).ExecuteAsync(httpContext));
        return true;
    }
}
