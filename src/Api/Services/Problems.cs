using Microsoft.AspNetCore.Http.HttpResults;

namespace Summarizer.Api.Services;

/// <summary>The service's RFC 7807 problem responses, each with a title a client can show and a detail that says what to change.</summary>
public static class Problems
{
    /// <summary>400 naming each bad field in "errors" (the shape of ASP.NET Core's validation problem).</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) => TypedResults.Problem(
        title: "One or more request fields are invalid.",
        detail: string.Join(" ", errors.Values.SelectMany(v => v)),
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>400 naming one bad field.</summary>
    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A problem with the given status and detail.</summary>
    public static ProblemHttpResult Status(int statusCode, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: statusCode);

    /// <summary>503 "busy"; <see cref="ProblemException.Unavailable"/> sends it with its Retry-After header.</summary>
    internal static ProblemHttpResult Unavailable(string detail) =>
        TypedResults.Problem(title: "The service is busy.", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);
}
