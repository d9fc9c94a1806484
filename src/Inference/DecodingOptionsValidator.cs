using System.Globalization;
using System.Text.Json.Nodes;

namespace Summarizer.Inference;

/// <summary>
/// The one place where <see cref="DecodingOptions"/> are checked, by <see cref="Rules"/>: the table in
/// decoding-rules.json (embedded), which BundleConfig's parsing, the API's GET /info ranges and OpenAPI schema, the eval
/// command line's bounds and training/decoding.py also read. The API turns the errors into a 400 naming the field;
/// <see cref="TransformerSummarizer"/> throws on them.
/// </summary>
public static class DecodingOptionsValidator
{
    /// <summary>The embedded rules file's resource name (the file is src/Inference/decoding-rules.json).</summary>
    public const string RulesResource = "Summarizer.Inference.decoding-rules.json";

    /// <summary>Every decoding option's rule, one per <see cref="DecodingOptions"/> property, in config.json's order.</summary>
    public static IReadOnlyList<DecodingOptionRule> Rules { get; } = ReadRules();

    /// <summary>The rule of the option with JSON name <paramref name="name"/> (e.g. <c>numBeams</c>).</summary>
    public static DecodingOptionRule Rule(string name) =>
        Rules.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No decoding option is named '{name}'.", nameof(name));

    /// <summary>
    /// The largest value <paramref name="rule"/>'s option can take with a model of <paramref name="maxTargetLength"/>
    /// decoder positions: its own maximum, the model's, or the largest of the option bounding it (minLength: maxLength's).
    /// </summary>
    public static double LargestValue(DecodingOptionRule rule, int maxTargetLength)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Maximum ?? (rule.MaximumOf == DecodingOptionRule.MaxTargetLengthBound
            ? maxTargetLength
            : LargestValue(Rule(rule.MaximumOf!), maxTargetLength));
    }

    /// <summary>Every problem with <paramref name="options"/> for <paramref name="model"/>; empty when they are valid.</summary>
    public static IReadOnlyList<DecodingOptionError> Validate(DecodingOptions options, ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var errors = Validate(options, model.Config.MaxTargetLength);
        if (model.Selector is not null)
            return errors;
        foreach (var rule in Rules.Where(r => r.NeedsSelector && r.NumberOf(options) > 0))
            errors = [.. errors, new(rule.PropertyName, $"The model '{model.Name}' has no sentence selector: {char.ToLowerInvariant(rule.Subject[0])}{rule.Subject[1..]} must be 0{NoteText(rule)}; got {Text(rule.ValueOf(options))}.")];
        return errors;
    }

    /// <summary>Every problem with <paramref name="options"/> for a model of <paramref name="maxTargetLength"/> decoder positions.</summary>
    public static IReadOnlyList<DecodingOptionError> Validate(DecodingOptions options, int maxTargetLength)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<DecodingOptionError>();
        foreach (var rule in Rules.Where(r => r.Kind != DecodingOptionKind.Boolean))
        {
            var (maximum, maximumText) = UpperBound(rule, options, maxTargetLength);
            var value = rule.NumberOf(options);
            // Written so that NaN fails it.
            if (!(value >= rule.Minimum && value <= maximum))
                errors.Add(new(rule.PropertyName, $"{rule.Subject} must be in {Text(rule.Minimum)}..{maximumText}{NoteText(rule)}; got {Text(rule.ValueOf(options))}."));
        }
        // Piece n-gram bans cannot see where a word or number must go on, so grounding blocks repeats by words instead.
        if (options.Grounded && options.NoRepeatNgramSize > 0)
            errors.Add(new(nameof(options.NoRepeatNgramSize), $"With grounded decoding repeats are blocked by words (NoRepeatWordNgramSize): the no-repeat n-gram size of pieces must be 0, or grounded false; got {options.NoRepeatNgramSize}."));
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public static void ThrowIfInvalid(DecodingOptions options, int maxTargetLength)
    {
        var errors = Validate(options, maxTargetLength);
        if (errors.Count > 0)
            throw new ArgumentOutOfRangeException(nameof(options) + "." + errors[0].Option, errors[0].Message);
    }

    // The bound of the value and how a message states it: "16", "64" for the model's, "MaxLength (20)" for another option's.
    private static (double Maximum, string Text) UpperBound(DecodingOptionRule rule, DecodingOptions options, int maxTargetLength)
    {
        if (rule.Maximum is { } maximum)
            return (maximum, Text(maximum));
        if (rule.MaximumOf == DecodingOptionRule.MaxTargetLengthBound)
            return (maxTargetLength, Text(maxTargetLength));
        var bounding = Rule(rule.MaximumOf!);
        return (bounding.NumberOf(options), $"{bounding.PropertyName} ({Text(bounding.ValueOf(options))})");
    }

    private static string NoteText(DecodingOptionRule rule) => rule.Note is null ? "" : $" ({rule.Note})";

    private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;

    private static List<DecodingOptionRule> ReadRules()
    {
        using var stream = typeof(DecodingOptionsValidator).Assembly.GetManifestResourceStream(RulesResource)
            ?? throw new InvalidOperationException($"The resource {RulesResource} is missing from {typeof(DecodingOptionsValidator).Assembly.GetName().Name}.");
        var rows = JsonNode.Parse(stream)?["options"] as JsonArray
            ?? throw new InvalidOperationException("decoding-rules.json: no \"options\" array.");
        var rules = rows.Select(row => DecodingOptionRule.Parse(row as JsonObject ?? throw new InvalidOperationException("decoding-rules.json: an option is not an object."))).ToList();
        var missing = typeof(DecodingOptions).GetProperties().Select(p => p.Name).Except(rules.Select(r => r.PropertyName)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"decoding-rules.json: no rule for DecodingOptions.{string.Join(", ", missing)}.");
        return rules;
    }
}
