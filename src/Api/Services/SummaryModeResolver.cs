using System.Reflection;
using System.Text.Json;
using Summarizer.Api.Models;
using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>
/// Resolves a request's mode and, for the extractive mode, its options: "mode", "sentenceCount" and "sentenceOrder" are
/// checked against the model (an extractive request needs its sentence selector) and against each other (the extractive
/// options belong to the extractive mode only, the decoding options to the abstractive one), one message per bad field
/// keyed by its JSON name.
/// </summary>
public static class SummaryModeResolver
{
    /// <summary>Accepted values of "mode", the default first.</summary>
    public static readonly IReadOnlyList<string> ModeValues = ["abstractive", "extractive"];

    /// <summary>Accepted values of "sentenceOrder", the default first.</summary>
    public static readonly IReadOnlyList<string> SentenceOrderValues = ["offset", "rank"];

    // The decoding options a request can set: every public property of DecodingOverrides (so an option added there is
    // refused in extractive mode without a change here).
    private static readonly PropertyInfo[] DecodingFields = typeof(DecodingOverrides).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    /// <summary>The modes <paramref name="model"/> serves: abstractive always, extractive when the bundle has a sentence selector.</summary>
    public static IReadOnlyList<string> Modes(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Selector is null ? [ModeValues[0]] : ModeValues;
    }

    /// <summary>The extractive options a request gets when it sets none; null when the model has no extractive mode.</summary>
    public static ExtractiveSettings? Defaults(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Selector is { } selector
            ? new ExtractiveSettings(Math.Clamp(selector.SentenceCount, 1, ExtractiveOptions.MaxSentenceCount), SentenceOrderValues[0])
            : null;
    }

    /// <summary>Range and default of sentenceCount for GET /info; null when the model has no extractive mode.</summary>
    public static OptionRange? SentenceCountRange(ModelInfo model) =>
        Defaults(model) is { } d ? new OptionRange(1, ExtractiveOptions.MaxSentenceCount, d.SentenceCount) : null;

    /// <summary>Whether the request asks for the extractive mode (whatever else is wrong with it).</summary>
    public static bool AsksExtractive(DecodingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.Mode, ModeValues[1], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The wire form of resolved extractive options.</summary>
    public static ExtractiveSettings Describe(ExtractiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ExtractiveSettings(options.SentenceCount, WireNames.Of(options.Order));
    }

    /// <summary>
    /// Resolves the mode of <paramref name="request"/> for <paramref name="model"/>. Returns false and fills
    /// <paramref name="errors"/> (JSON name → messages) when a field is bad; <paramref name="extractive"/> is the
    /// extractive options, or null for the abstractive mode.
    /// </summary>
    public static bool TryResolve(DecodingRequest request, ModelInfo model, IDictionary<string, string[]> errors, out ExtractiveOptions? extractive)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        extractive = null;

        var mode = request.Mode?.ToLowerInvariant() ?? ModeValues[0];
        if (!ModeValues.Contains(mode))
            errors["mode"] = [$"mode must be one of {Quoted(ModeValues)}; got \"{request.Mode}\"."];
        else if (mode == ModeValues[1] && model.Selector is null)
            errors["mode"] = [$"mode \"extractive\": this model ('{model.Name}') has no sentence selector, so it has no extractive mode; see GET /info (modes)."];

        var order = SentenceOrder.Offset;
        switch (request.SentenceOrder?.ToLowerInvariant())
        {
            case null or "offset": break;
            case "rank": order = SentenceOrder.Rank; break;
            default:
                errors["sentenceOrder"] = [$"sentenceOrder must be one of {Quoted(SentenceOrderValues)}; got \"{request.SentenceOrder}\"."];
                break;
        }
        if (request.SentenceCount is { } c && c is < 1 or > ExtractiveOptions.MaxSentenceCount)
            errors["sentenceCount"] = [$"sentenceCount must be in 1..{ExtractiveOptions.MaxSentenceCount}; got {c}."];

        if (mode == ModeValues[0])
        {
            // The extractive options mean nothing to the decoder: say so rather than ignore them.
            if (request.SentenceCount is not null)
                errors["sentenceCount"] = ["sentenceCount applies to mode \"extractive\" only; add \"mode\": \"extractive\" or leave it out."];
            if (request.SentenceOrder is not null)
                errors["sentenceOrder"] = ["sentenceOrder applies to mode \"extractive\" only; add \"mode\": \"extractive\" or leave it out."];
        }
        else if (mode == ModeValues[1])
        {
            foreach (var field in DecodingFields.Where(f => f.GetValue(request) is not null))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(field.Name);
                errors[name] = [$"{name} is a decoding option; extractive mode does not decode. Leave it out, or use mode \"abstractive\"."];
            }
            if (errors.Count == before && Defaults(model) is { } defaults)
                extractive = new ExtractiveOptions(request.SentenceCount ?? defaults.SentenceCount, order);
        }
        return errors.Count == before;
    }

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));
}
