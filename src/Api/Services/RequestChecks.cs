using Microsoft.Extensions.Options;
using Summarizer.Api.Models;

namespace Summarizer.Api.Services;

/// <summary>
/// The checks every summarize endpoint runs before it takes a generation slot, in the order a client should fix them;
/// each refusal is a <see cref="ProblemException"/>.
/// </summary>
public sealed class RequestChecks(ModelState state, GenerationGate gate, IOptions<SummarizerServiceOptions> options)
{
    private SummarizerServiceOptions Settings => options.Value;

    /// <summary>Checks one text: present, not blank (400 naming <paramref name="field"/>), within the character limit (413).</summary>
    public string CheckText(string? text, string field = "text")
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ProblemException(Problems.Validation(field, $"{field} is required and must contain non-whitespace text."));
        if (text.Length > Settings.MaxTextChars)
            throw new ProblemException(Problems.Status(StatusCodes.Status413PayloadTooLarge, "The text is too long.",
                $"{field} has {text.Length} characters; the limit is {Settings.MaxTextChars} (Summarizer:MaxTextChars, see GET /info)."));
        return text;
    }

    /// <summary>Checks a batch: 1..MaxBatchSize texts (400), then each text as <see cref="CheckText"/>, named by its place.</summary>
    public IReadOnlyList<string> CheckTexts(IReadOnlyList<string?>? texts)
    {
        if (texts is not { Count: > 0 } given || given.Count > Settings.MaxBatchSize)
            throw new ProblemException(Problems.Validation("texts",
                $"texts must hold 1..{Settings.MaxBatchSize} texts (Summarizer:MaxBatchSize); got {texts?.Count ?? 0}."));
        return [.. given.Select((t, i) => CheckText(t, $"texts[{i}]"))];
    }

    /// <summary>
    /// Checks readiness (503 while loading) and resolves the mode and its options (400 naming each bad field: an option out
    /// of range, an option of the other mode, the extractive mode on a model without a sentence selector).
    /// </summary>
    public PreparedRequest Prepare(DecodingRequest request)
    {
        if (state.Summarizer is not { } summarizer)
            throw ProblemException.Unavailable(Settings.RetryAfterSeconds, "The model is still loading; see GET /health/ready.");
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
    public GenerationLease Admit() =>
        gate.TryAdmit() ?? throw ProblemException.Unavailable(Settings.RetryAfterSeconds,
            $"All {Settings.MaxConcurrency} generation slots and {Settings.QueueLength} queue places are taken; retry later.");
}
