using Summarizer.Api.Models;
using System.Text.Json;
using Summarizer.Inference;

namespace Summarizer.Api.Services;

/// <summary>
/// Resolves a request's decoding options (<see cref="DecodingOverrides.Resolve"/>) and checks every value against the
/// contract's ranges with Inference's <see cref="DecodingOptionsValidator"/>, collecting one message per bad option keyed by its JSON name.
/// </summary>
public static class DecodingOptionsResolver
{
    /// <summary>Accepted values of the "attention" field.</summary>
    public static readonly IReadOnlyList<string> AttentionValues = ["none", "aggregate", "full"];

    /// <summary>
    /// Range and default of every numeric option, keyed by JSON name, for GET /info: the validator's rules for this model
    /// (an option bounded by another, minLength by maxLength, up to that one's largest value).
    /// </summary>
    public static IReadOnlyDictionary<string, OptionRange> Ranges(ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return DecodingOptionsValidator.Rules.Where(r => r.Kind != DecodingOptionKind.Boolean).ToDictionary(
            r => r.Name,
            // Content selection needs the bundle's sentence selector: without one only 0 is accepted.
            r => new OptionRange(r.Minimum, r.NeedsSelector && model.Selector is null ? 0 : DecodingOptionsValidator.LargestValue(r, model.Config.MaxTargetLength),
                r.NumberOf(model.Defaults)));
    }

    /// <summary>
    /// Resolves <paramref name="request"/> against <paramref name="model"/>. Returns false and fills
    /// <paramref name="errors"/> (JSON name → messages) when an option is out of range or unknown.
    /// </summary>
    public static bool TryResolve(DecodingRequest request, ModelInfo model, IDictionary<string, string[]> errors,
        out DecodingOptions options, out AttentionDetail attention)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = errors.Count;
        options = request.Resolve(model);
        foreach (var error in DecodingOptionsValidator.Validate(options, model))
            errors[JsonNamingPolicy.CamelCase.ConvertName(error.Option)] = [$"{JsonNamingPolicy.CamelCase.ConvertName(error.Option)}: {error.Message}"];

        attention = AttentionDetail.Aggregate;
        if (request.Attention is { } a)
        {
            switch (a.ToLowerInvariant())
            {
                case "none": attention = AttentionDetail.None; break;
                case "aggregate": attention = AttentionDetail.Aggregate; break;
                case "full": attention = AttentionDetail.Full; break;
                default:
                    errors["attention"] = [$"attention must be one of {string.Join(", ", AttentionValues.Select(v => $"\"{v}\""))}; got \"{a}\"."];
                    break;
            }
        }

        return errors.Count == before;
    }
}
