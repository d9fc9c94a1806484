using Microsoft.AspNetCore.Http.HttpResults;
using Summarizer.Api.Models;

namespace Summarizer.Api.Services;

/// <summary>The checks every summarize endpoint runs before it takes a generation slot, in the order a client should fix them.</summary>
public static class RequestChecks
{
    /// <summary>Checks one text: present, not blank (400 naming <paramref name="field"/>), within the character limit (413).</summary>
    public static ProblemHttpResult? CheckText(string? text, string field, int maxChars)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Problems.Validation(new Dictionary<string, string[]> { [field] = [$"{field} is required and must contain non-whitespace text."] });
        if (text.Length > maxChars)
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "The text is too long.",
                $"{field} has {text.Length} characters; the limit is {maxChars} (Summarizer:MaxTextChars, see GET /info).");
        return null;
    }

    /// <summary>Checks readiness (503 while loading) and resolves the options (400 naming each bad option and its range).</summary>
    public static (PreparedRequest? Prepared, ProblemHttpResult? Problem) Prepare(DecodingRequest request, ModelState state,
        HttpContext http, SummarizerServiceOptions options)
    {
        if (state.Summarizer is not { } summarizer)
            return (null, Problems.Unavailable(http, options.RetryAfterSeconds, "The model is still loading; see GET /health/ready."));
        var errors = new Dictionary<string, string[]>();
        return DecodingOptionsResolver.TryResolve(request, summarizer.Model, errors, out var resolved, out var attention)
            ? (new PreparedRequest(summarizer, resolved, attention), null)
            : (null, Problems.Validation(errors));
    }

    /// <summary>503 for a full queue.</summary>
    public static ProblemHttpResult Overloaded(HttpContext http, SummarizerServiceOptions options) => Problems.Unavailable(http,
        options.RetryAfterSeconds, $"All {options.MaxConcurrency} generation slots and {options.QueueLength} queue places are taken; retry later.");
}
