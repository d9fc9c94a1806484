using Summarizer.Eval;

namespace Summarizer.Evaluation.Tests;

public class ReportFormatterTests
{
    private static readonly EvaluationReport Report = new(10, new RougeAverages(30, 10, 20, 28), new RougeAverages(32, 12, 22, 29), 900, 1000, 1100);

    private static readonly DecodingOptions Options = new() { NumBeams = 4, MaxLength = 100, MinLength = 40 };

    [Fact]
    public void Prints_the_flaw_table_under_rouge_with_one_decimal()
    {
        var flaws = new FlawReport(new FlawRates(10, 30, 10, 20, 40), new FlawRates(10, 2.25, 0, 0, 10), new FlawRates(10, 0, 0, 0, 5));

        var text = ReportFormatter.Format(Report with { Flaws = flaws }, "m", "val.jsonl", 0, Options);

        Assert.Contains("flaws, % of summaries      model  references  lead-3", text);
        Assert.Contains("invented words               30.0         2.3     0.0", text);
        Assert.Contains("repeated content words       40.0        10.0     5.0", text);
        Assert.True(text.IndexOf("ROUGE-Lsum", StringComparison.Ordinal) < text.IndexOf("flaws,", StringComparison.Ordinal));
        Assert.True(text.IndexOf("flaws,", StringComparison.Ordinal) < text.IndexOf("latency ms", StringComparison.Ordinal));
    }

    [Fact]
    public void An_abstractive_report_names_its_mode_and_decoding()
    {
        var text = ReportFormatter.Format(Report, "m", "val.jsonl", 0, Options);
        var lines = text.Split('\n');

        Assert.Equal("10 rows of val.jsonl (offset 0), model m, mode abstractive", lines[0]);
        Assert.StartsWith("decoding: beams 4, max length 100, min length 40", lines[1]);
        Assert.Contains("abstractive        30.00    10.00       28.00", text);
        Assert.DoesNotContain("extractive", text);
    }

    [Fact]
    public void An_extractive_report_names_its_mode_sentence_count_and_order_and_keeps_the_rest()
    {
        var flaws = new FlawReport(new FlawRates(10, 0, 0, 0, 40), new FlawRates(10, 2.25, 0, 0, 10), new FlawRates(10, 0, 0, 0, 5));

        var text = ReportFormatter.Format(Report with { Flaws = flaws }, "m", "val.jsonl", 5, new ExtractiveOptions(3, SentenceOrder.Offset));
        var lines = text.Split('\n');

        Assert.Equal("10 rows of val.jsonl (offset 5), model m, mode extractive", lines[0]);
        Assert.Equal("extractive: at most 3 sentences per summary, in offset order", lines[1]);
        Assert.DoesNotContain("decoding", text);
        Assert.DoesNotContain("abstractive", text);
        Assert.Contains("extractive         30.00    10.00       28.00", text);
        Assert.Contains("lead-3             32.00    12.00       29.00", text);
        Assert.Contains("invented words                0.0         2.3     0.0", text);
        Assert.Contains("latency ms: p50 900.0  p90 1000.0  p99 1100.0", text);
        Assert.Contains("in rank order", ReportFormatter.Format(Report, "m", "val.jsonl", 0, new ExtractiveOptions(2, SentenceOrder.Rank)));
    }

    [Fact]
    public void Prints_no_flaw_table_when_none_were_checked()
    {
        Assert.DoesNotContain("flaws", ReportFormatter.Format(Report, "m", "val.jsonl", 0, Options));
    }
}
