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
    public void Prints_no_flaw_table_when_none_were_checked()
    {
        Assert.DoesNotContain("flaws", ReportFormatter.Format(Report, "m", "val.jsonl", 0, Options));
    }
}
