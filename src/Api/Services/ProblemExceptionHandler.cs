using Microsoft.AspNetCore.Diagnostics;

namespace Summarizer.Api.Services;

/// <summary>Last line of defence: any unhandled exception becomes a 500 problem without details; the exception is only logged.</summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var result = exception switch
        {
            BadHttpRequestException bad => Problems.Status(bad.StatusCode, "Bad request.", bad.Message),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => Problems.ClientClosed(),
            _ => null,
        };
        if (result is null)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            result = Problems.Status(StatusCodes.Status500InternalServerError, "An unexpected error occurred.",
                $"The error was logged with request id {httpContext.TraceIdentifier}.");
        }
        await result.ExecuteAsync(httpContext);
        return true;
    }
}
