using System.Globalization;
using System.Text;
using Summarizer.Inference;
using Summarizer.Evaluation;

namespace Summarizer.Eval;

/// <summary>Renders an evaluation report as the plain-text table summarizer-eval prints.</summary>
public static class ReportFormatter
{
    /// <summary>The table of an abstractive run: rows, mode and decoding settings, ROUGE of the model (its row named by the mode) and of lead-3, the flaw rates when checked, latency percentiles.</summary>
    public static string Format(EvaluationReport report, string modelName, string dataName, int offset, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var c = CultureInfo.InvariantCulture;
        var grounding = options.Grounded
            ? string.Create(c, $"grounded (no-repeat word n-gram {options.NoRepeatWordNgramSize}, max word repeats {options.MaxWordRepeats}, source phrase bonus {options.SourcePhraseBonus:0.##})")
            : "not grounded";
        var reads = (options.SelectSentences > 0 ? $"reads the {options.SelectSentences} selected sentences" : "reads the whole text")
            + (options.CopySalience > 0 ? string.Create(c, $", copy salience {options.CopySalience:0.##}") : "");
        return Format(report, modelName, dataName, offset, SummaryMode.Abstractive, string.Create(c,
            $"decoding: beams {options.NumBeams}, max length {options.MaxLength}, min length {options.MinLength}, "
            + $"length penalty {options.LengthPenalty:0.##}, no-repeat n-gram {options.NoRepeatNgramSize}, early stopping {(options.EarlyStopping ? "on" : "off")}, {grounding}, {reads}"));
    }

    /// <summary>The table of an extractive run: as for an abstractive one, with the sentence count and order in place of the decoding settings.</summary>
    public static string Format(EvaluationReport report, string modelName, string dataName, int offset, ExtractiveOptions extractive)
    {
        ArgumentNullException.ThrowIfNull(extractive);
        return Format(report, modelName, dataName, offset, SummaryMode.Extractive, string.Create(CultureInfo.InvariantCulture,
            $"extractive: at most {extractive.SentenceCount} sentences per summary, in {WireNames.Of(extractive.Order)} order"));
    }

    private static string Format(EvaluationReport report, string modelName, string dataName, int offset, SummaryMode mode, string settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{report.Count} rows of {dataName} (offset {offset}), model {modelName}, mode {WireNames.Of(mode)}");
        text.AppendLine(settings);
        text.AppendLine();
        text.AppendLine("ROUGE F1 x 100   ROUGE-1  ROUGE-2  ROUGE-Lsum");
        text.AppendLine(Row(WireNames.Of(mode), report.Model));
        text.AppendLine(Row("lead-3", report.Lead3));
        text.AppendLine();
        if (report.Flaws is { } flaws)
        {
            text.AppendLine("flaws, % of summaries      model  references  lead-3");
            text.AppendLine(FlawRow("invented words", flaws, r => r.InventedWords));
            text.AppendLine(FlawRow("unstated numbers", flaws, r => r.UnstatedNumbers));
            text.AppendLine(FlawRow("stutters", flaws, r => r.Stutters));
            text.AppendLine(FlawRow("repeated content words", flaws, r => r.RepeatedContentWords));
            text.AppendLine();
        }

        text.AppendLine(c, $"latency ms: p50 {report.LatencyP50Ms:0.0}  p90 {report.LatencyP90Ms:0.0}  p99 {report.LatencyP99Ms:0.0}");
        return text.ToString();
    }

    private static string FlawRow(string name, FlawReport flaws, Func<FlawRates, double> rate) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-22} {rate(flaws.Model),10:0.0}  {rate(flaws.Reference),10:0.0}  {rate(flaws.Lead3),6:0.0}");

    private static string Row(string name, RougeAverages scores) =>
        string.Create(CultureInfo.InvariantCulture, $"{name,-16} {scores.Rouge1,7:0.00}  {scores.Rouge2,7:0.00}  {scores.RougeLsum,10:0.00}");
}
