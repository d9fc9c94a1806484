using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Summarizer.Inference;

/// <summary>
/// One decoding option's contract, a row of decoding-rules.json (<see cref="DecodingOptionsValidator.Rules"/>): its
/// names, type and inclusive range. The validator, a bundle's <c>decoding</c> section, GET /info's ranges, the OpenAPI
/// schema and the eval command line's bounds all read it; training/decoding.py reads the same file.
/// </summary>
public sealed record DecodingOptionRule
{
    /// <summary>The <see cref="MaximumOf"/> that bounds an option by the model's max target length (config.json's <c>max_tgt_len</c>).</summary>
    public const string MaxTargetLengthBound = "maxTargetLength";

    // The rules file's bound for ExtractiveOptions.MaxSentenceCount, resolved to the number when the rules are read.
    private const string MaxSentenceCountBound = "maxSentenceCount";

    /// <summary>The JSON name (HTTP requests, GET /info), e.g. <c>numBeams</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The key in a bundle's <c>decoding</c> section (and the eval metrics), e.g. <c>num_beams</c>.</summary>
    public required string BundleKey { get; init; }

    /// <summary>The value's type.</summary>
    public required DecodingOptionKind Kind { get; init; }

    /// <summary>The smallest value (0 for a Boolean).</summary>
    public double Minimum { get; init; }

    /// <summary>The largest value when it is a number of its own; null for a Boolean and when <see cref="MaximumOf"/> names the bound.</summary>
    public double? Maximum { get; init; }

    /// <summary>What bounds the value when no number does: <see cref="MaxTargetLengthBound"/>, or another option's <see cref="Name"/> (minLength: <c>maxLength</c>).</summary>
    public string? MaximumOf { get; init; }

    /// <summary>The option as a message's subject, e.g. "The beam size".</summary>
    public string Subject { get; init; } = "";

    /// <summary>Said after the range in a message, e.g. "0 = off"; null for none.</summary>
    public string? Note { get; init; }

    /// <summary>A value above 0 needs a bundle with a sentence selector.</summary>
    public bool NeedsSelector { get; init; }

    /// <summary>The <see cref="DecodingOptions"/> property, e.g. <c>NumBeams</c> (the name <see cref="DecodingOptionError.Option"/> carries).</summary>
    public string PropertyName => Property.Name;

    private PropertyInfo Property { get; init; } = null!;

    /// <summary>The option's value in <paramref name="options"/>: a boxed <see cref="int"/>, <see cref="float"/> or <see cref="bool"/>.</summary>
    public object ValueOf(DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Property.GetValue(options)!;
    }

    /// <summary>The option's value in <paramref name="options"/> as a number (a Boolean as 0 or 1).</summary>
    public double NumberOf(DecodingOptions options) => Convert.ToDouble(ValueOf(options), CultureInfo.InvariantCulture);

    /// <summary>Sets the option in <paramref name="options"/>, an instance its builder has not handed out yet.</summary>
    internal void Assign(DecodingOptions options, object value) => Property.SetValue(options, value);

    /// <summary>A row of the rules file; <see cref="InvalidOperationException"/> when it does not match <see cref="DecodingOptions"/>.</summary>
    internal static DecodingOptionRule Parse(JsonObject row)
    {
        var name = (string?)row["name"] ?? throw Broken("a rule has no name");
        var propertyName = char.ToUpperInvariant(name[0]) + name[1..];
        var property = typeof(DecodingOptions).GetProperty(propertyName)
            ?? throw Broken($"'{name}' is not a DecodingOptions property");
        var kind = (string?)row["type"] switch
        {
            "int" => DecodingOptionKind.Integer,
            "float" => DecodingOptionKind.Number,
            "bool" => DecodingOptionKind.Boolean,
            var other => throw Broken($"'{name}' has the unknown type '{other}'"),
        };
        var expectedType = kind switch { DecodingOptionKind.Integer => typeof(int), DecodingOptionKind.Number => typeof(float), _ => typeof(bool) };
        if (property.PropertyType != expectedType)
            throw Broken($"'{name}' is {row["type"]} but DecodingOptions.{propertyName} is {property.PropertyType.Name}");
        var maxNode = row["max"];
        var maximumOf = maxNode?.GetValueKind() == JsonValueKind.String ? (string?)maxNode : null;
        var maximum = maxNode is null || maximumOf is not null ? null : (double?)maxNode;
        if (maximumOf == MaxSentenceCountBound)
            (maximum, maximumOf) = (ExtractiveOptions.MaxSentenceCount, null);
        if (kind != DecodingOptionKind.Boolean && maximum is null && maximumOf is null)
            throw Broken($"'{name}' has no max");
        return new DecodingOptionRule
        {
            Name = name,
            BundleKey = (string?)row["key"] ?? throw Broken($"'{name}' has no key"),
            Kind = kind,
            Minimum = (double?)row["min"] ?? 0,
            Maximum = maximum,
            MaximumOf = maximumOf,
            Subject = (string?)row["subject"] ?? "",
            Note = (string?)row["note"],
            NeedsSelector = (bool?)row["needs_selector"] ?? false,
            Property = property,
        };
    }

    private static InvalidOperationException Broken(string problem) => new($"decoding-rules.json: {problem}.");
}
