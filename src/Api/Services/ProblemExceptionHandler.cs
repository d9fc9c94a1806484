using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>
/// The one place where exceptions become problems, by type: a refused request (<see cref="ProblemException"/>), a text
/// the model cannot summarize (400 naming the field), a malformed request the framework rejected; anything else is
/// a bug — a 500 without details, the exception only logged. A client that left is answered 499 by the middleware itself.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>The problem for an expected failure, or null when <paramref name="exception"/> is a bug.</summary>
    public static ProblemHttpResult? ProblemFor(Exception exception) => exception switch
    {
        ProblemException refused => refused.Problem,
        UnsummarizableTextException text => Problems.Validation(text.ParamName!, text.Reason),
        BadHttpRequestException bad => Problems.Status(bad.StatusCode, "Bad request.", bad.Message),
        _ => null,
    };

    /// <summary>The 500 for a bug, naming the request id it was logged under.</summary>
    public static ProblemHttpResult Unexpected(HttpContext http) => Problems.Status(StatusCodes.Status500InternalServerError,
        "An unexpected error occurred.", $"The error was logged with request id {http.TraceIdentifier}.");

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ProblemException refused)
        {
            await refused.ExecuteAsync(httpContext);
            return true;
        }
        var result = ProblemFor(exception);
        if (result is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            result = Unexpected(httpContext);
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }
}
