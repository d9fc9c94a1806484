using System.Text.Json;
using System.Text.Json.Nodes;
using Summarizer.Inference;
using Summarizer.Evaluation;

namespace Summarizer.Eval;

/// <summary>
/// The evaluation as the JSON summarizer-eval writes with <c>--metrics-json</c> (what <c>training/export.py --metrics</c>
/// puts in a bundle's model card): rows, offset, data, the mode ("abstractive" or "extractive"), the decoding options
/// (config.json's snake_case names; an extractive run has its sentence count and order instead), ROUGE-1/2/Lsum
/// F1 × 100 of the model and of lead-3 (2 decimals), latency percentiles in milliseconds, and, when checked, the flaw
/// rates (percent of summaries, 2 decimals) of the model, the references and lead-3.
/// </summary>
public static class MetricsJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The metrics object of an abstractive run.</summary>
    public static JsonObject Build(EvaluationReport report, string dataName, int offset, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // config.json's names and order: the validator's rules.
        var decoding = new JsonObject();
        foreach (var rule in DecodingOptionsValidator.Rules)
        {
            decoding[rule.BundleKey] = rule.ValueOf(options) switch
            {
                int i => JsonValue.Create(i),
                float f => JsonValue.Create(f),
                var b => JsonValue.Create((bool)b),
            };
        }
        return Build(report, dataName, offset, SummaryMode.Abstractive, "decoding", decoding);
    }

    /// <summary>The metrics object of an extractive run: "extractive" {sentence_count, sentence_order} where an abstractive run has "decoding".</summary>
    public static JsonObject Build(EvaluationReport report, string dataName, int offset, ExtractiveOptions extractive)
    {
        ArgumentNullException.ThrowIfNull(extractive);
        return Build(report, dataName, offset, SummaryMode.Extractive, "extractive", new JsonObject
        {
            ["sentence_count"] = extractive.SentenceCount,
            ["sentence_order"] = WireNames.Of(extractive.Order),
        });
    }

    /// <summary>The metrics object of an abstractive run as indented JSON text, ending with a newline.</summary>
    public static string Format(EvaluationReport report, string dataName, int offset, DecodingOptions options) =>
        Build(report, dataName, offset, options).ToJsonString(Indented) + "\n";

    /// <summary>The metrics object of an extractive run as indented JSON text, ending with a newline.</summary>
    public static string Format(EvaluationReport report, string dataName, int offset, ExtractiveOptions extractive) =>
        Build(report, dataName, offset, extractive).ToJsonString(Indented) + "\n";

    private static JsonObject Build(EvaluationReport report, string dataName, int offset, SummaryMode mode, string settingsName, JsonObject settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(dataName);
        var metrics = new JsonObject
        {
            ["rows"] = report.Count,
            ["offset"] = offset,
            ["data"] = dataName,
            ["mode"] = WireNames.Of(mode),
            [settingsName] = settings,
            ["rouge"] = Rouge(report.Model),
            ["lead3"] = Rouge(report.Lead3),
            ["latency_ms"] = new JsonObject
            {
                ["p50"] = Round(report.LatencyP50Ms),
                ["p90"] = Round(report.LatencyP90Ms),
                ["p99"] = Round(report.LatencyP99Ms),
            },
        };
        if (report.Flaws is { } flaws)
        {
            metrics["flaws"] = new JsonObject
            {
                ["model"] = Flaws(flaws.Model),
                ["references"] = Flaws(flaws.Reference),
                ["lead3"] = Flaws(flaws.Lead3),
            };
        }

        return metrics;
    }

    private static JsonObject Rouge(RougeAverages scores) => new()
    {
        ["rouge1"] = Round(scores.Rouge1),
        ["rouge2"] = Round(scores.Rouge2),
        ["rougeLsum"] = Round(scores.RougeLsum),
    };

    private static JsonObject Flaws(FlawRates rates) => new()
    {
        ["invented_words"] = Round(rates.InventedWords),
        ["unstated_numbers"] = Round(rates.UnstatedNumbers),
        ["stutters"] = Round(rates.Stutters),
        ["repeated_content_words"] = Round(rates.RepeatedContentWords),
    };

    private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
