using Summarizer.Api.Models;

namespace Summarizer.Api.Services;

/// <summary>
/// The checks every summarize endpoint runs before it takes a generation slot, in the order a client should fix them;
/// each refusal is a <see cref="ProblemException"/>.
/// </summary>
public static class RequestChecks
{
    /// <summary>Checks one text: present, not blank (400 naming <paramref name="field"/>), within the character limit (413).</summary>
    public static string CheckText(string? text, string field, int maxChars)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ProblemException(Problems.Validation(field, $"{field} is required and must contain non-whitespace text."));
        if (text.Length > maxChars)
            throw new ProblemException(Problems.Status(StatusCodes.Status413PayloadTooLarge, "The text is too long.",
                $"{field} has {text.Length} characters; the limit is {maxChars} (Summarizer:MaxTextChars, see GET /info)."));
        return text;
    }

    /// <summary>
    /// Checks readiness (503 while loading) and resolves the mode and its options (400 naming each bad field: an option out
    /// of range, an option of the other mode, the extractive mode on a model without a sentence selector).
    /// </summary>
    public static PreparedRequest Prepare(DecodingRequest request, ModelState state, SummarizerServiceOptions options)
    {
        if (state.Summarizer is not { } summarizer)
            throw ProblemException.Unavailable(options.RetryAfterSeconds, "The model is still loading; see GET /health/ready.");
        var errors = new Dictionary<string, string[]>();
        DecodingOptionsResolver.TryResolve(request, summarizer.Model, errors, out var resolved, out var attention);
        if (SummaryModeResolver.AsksExtractive(request))
        {
            // Extractive mode does not decode: any decoding option given is refused as such below, whatever its value.
            foreach (var field in errors.Keys.Where(k => k != "attention").ToList())
                errors.Remove(field);
        }
        SummaryModeResolver.TryResolve(request, summarizer.Model, errors, out var extractive);
        return errors.Count == 0
            ? new PreparedRequest(summarizer, resolved, attention, extractive)
            : throw new ProblemException(Problems.Validation(errors));
    }

    /// <summary>A place in the generation gate, or 503 with Retry-After when slots and queue are full.</summary>
    public static GenerationLease Admit(GenerationGate gate, SummarizerServiceOptions options) =>
        gate.TryAdmit() ?? throw ProblemException.Unavailable(options.RetryAfterSeconds,
            $"All {options.MaxConcurrency} generation slots and {options.QueueLength} queue places are taken; retry later.");
}
