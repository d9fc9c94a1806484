using Summarizer.Evaluation;

namespace Summarizer.Evaluation.Tests;

public class EvaluationRunnerTests
{
    private static readonly EvaluationExample[] Examples =
    [
        new("a", "new delhi ( cnn ) in an unusual public raid in india , thousands stormed a jail . the 35 - year - old suspect died , said l.l. doungal . "
            + "\" there were thousands of them . many of them were students , \" doungal said . the suspect was accused of rape .",
            "the 35 - year - old suspect was described as an illegal immigrant .\nhe was accused of raping a local woman last month ."),
        new("b", "( cnn ) the u.s. treasury is n't happy ... officials said . mr. smith met dr. jones ! why ? nobody knows . the end .",
            "the treasury is unhappy , officials said .\nsmith met jones ."),
        new("c", "one short article without a final period", "a short article ."),
    ];

    private static readonly DecodingOptions Options = new() { NumBeams = 2, MaxLength = 50, MinLength = 5 };

    [Fact]
    public void A_summarizer_returning_lead3_scores_exactly_lead3()
    {
        var fake = new FakeSummarizer(article => string.Join(' ', SentenceSplitter.SplitTokenized(article).Take(3)));

        var report = new EvaluationRunner(fake, Options).Run(Examples);

        Assert.Equal(3, report.Count);
        Assert.Equal(report.Lead3, report.Model);
        Assert.InRange(report.Lead3.Rouge1, 1, 99);
    }

    [Fact]
    public void A_summarizer_returning_the_reference_scores_100()
    {
        var references = Examples.ToDictionary(e => e.Article, e => e.Reference.Replace('\n', ' '));
        var fake = new FakeSummarizer(article => references[article]);

        var report = new EvaluationRunner(fake, Options).Run(Examples);

        Assert.Equal(100, report.Model.Rouge1, 9);
        Assert.Equal(100, report.Model.Rouge2, 9);
        Assert.Equal(100, report.Model.RougeLsum, 9);
    }

    [Fact]
    public void Averages_f1_over_rows_and_reports_each_prediction()
    {
        var fake = new FakeSummarizer(_ => "the suspect");
        var predictions = new List<EvaluationPrediction>();

        var report = new EvaluationRunner(fake, Options).Run(Examples, predictions.Add);

        Assert.Equal(["a", "b", "c"], predictions.Select(p => p.Example.Id));
        Assert.All(predictions, p => Assert.Equal("the suspect", p.Summary));
        Assert.All(predictions, p => Assert.Null(p.Extracted));
        Assert.Equal(100 * predictions.Average(p => p.Scores.Rouge1.F1), report.Model.Rouge1, 12);
        Assert.Equal(100 * predictions.Average(p => p.Lead3Scores.RougeLsum.F1), report.Lead3.RougeLsum, 12);
        // Row "a": the reference has 11 + 10 = 21 unigrams ("-" and "." are dropped); "the suspect" matches 2
        // → P = 2/2, R = 2/21, F = 2·(2/21)/(23/21) = 4/23.
        Assert.Equal(4.0 / 23, predictions[0].Scores.Rouge1.F1, 12);
    }

    [Fact]
    public void Without_a_flaw_checker_nothing_is_checked()
    {
        var predictions = new List<EvaluationPrediction>();

        var report = new EvaluationRunner(new FakeSummarizer(_ => "zorp zorp"), Options).Run(Examples, predictions.Add);

        Assert.Null(report.Flaws);
        Assert.All(predictions, p => Assert.Null(p.Flaws));
    }

    [Fact]
    public void A_flaw_checker_checks_the_summary_the_reference_and_lead3_against_the_article()
    {
        // Only function words are English here, so every invented word comes from outside the article.
        var checker = new FlawChecker(["the", "a", "was", "of", "is", "he"]);
        var fake = new FakeSummarizer(article => article.StartsWith("new delhi", StringComparison.Ordinal)
            ? "the suspect suspect was 36 , zorp said ."
            : "the .");
        var predictions = new List<EvaluationPrediction>();

        var report = new EvaluationRunner(fake, Options, checker).Run(Examples, predictions.Add);

        var first = predictions[0].Flaws!;
        Assert.Equal(["zorp"], first.Model.InventedWords);
        Assert.Equal(["36"], first.Model.UnstatedNumbers);
        Assert.Equal(["suspect"], first.Model.Stutters);
        // The reference's own words: "described", "illegal", "immigrant", "raping" (rape), "local", "woman", ... only some are in the article.
        Assert.Contains("immigrant", first.Reference.InventedWords);
        Assert.DoesNotContain("raping", first.Reference.InventedWords);
        Assert.All(predictions, p => Assert.Empty(p.Flaws!.Lead3.InventedWords));
        Assert.All(predictions, p => Assert.Empty(p.Flaws!.Lead3.UnstatedNumbers));
        Assert.Equal(new FlawRates(3, 100.0 / 3, 100.0 / 3, 100.0 / 3, 0), report.Flaws!.Model);
        Assert.Equal(3, report.Flaws.Reference.Count);
        Assert.Equal(0, report.Flaws.Lead3.InventedWords);
    }

    [Fact]
    public void Passes_the_article_options_and_no_attention_to_the_summarizer()
    {
        var fake = new FakeSummarizer(_ => "x");

        new EvaluationRunner(fake, Options).Run(Examples.Take(1));

        var call = Assert.Single(fake.Calls);
        Assert.Equal(Examples[0].Article, call.Text);
        Assert.Same(Options, call.Options);
        Assert.Equal(AttentionDetail.None, call.Attention);
    }

    [Fact]
    public void Stops_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => new EvaluationRunner(new FakeSummarizer(_ => "x"), Options).Run(Examples, null, cancellation.Token));
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var values = Enumerable.Range(1, 100).Select(v => (double)(101 - v)).ToList();

        Assert.Equal(50, EvaluationReport.Percentile(values, 50));
        Assert.Equal(90, EvaluationReport.Percentile(values, 90));
        Assert.Equal(99, EvaluationReport.Percentile(values, 99));
        Assert.Equal(7, EvaluationReport.Percentile([7], 99));
        Assert.Equal(0, EvaluationReport.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>("percent", () => EvaluationReport.Percentile(values, 0));
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>("summarizer", () => new EvaluationRunner(null!, Options));
        Assert.Throws<ArgumentNullException>("options", () => new EvaluationRunner(new FakeSummarizer(_ => ""), (DecodingOptions)null!));
        Assert.Throws<ArgumentNullException>("extractive", () => new EvaluationRunner(new FakeSummarizer(_ => ""), (ExtractiveOptions)null!));
    }

    private sealed class FakeSummarizer(Func<string, string> summarize) : ISummarizer
    {
        public List<(string Text, DecodingOptions Options, AttentionDetail Attention)> Calls { get; } = [];

        public ModelInfo Model => throw new NotSupportedException("The runner does not need the model card.");

        public SourceTokenization TokenizeSource(string text) => throw new NotSupportedException("The runner does not tokenize.");

        public SummaryResult Summarize(SourceTokenization source, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
            Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The runner summarizes texts.");

        public SummaryResult Summarize(string text, DecodingOptions options, AttentionDetail attention = AttentionDetail.Aggregate,
            Action<StreamedToken>? onToken = null, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Calls.Add((text, options, attention));
            return new SummaryResult
            {
                Summary = summarize(text),
                SourceTokens = [],
                SummaryTokens = [],
                SourceSentences = [],
                Sentences = [],
                Truncated = false,
                InputTokenCount = 0,
                Options = options,
                Timings = default,
            };
        }
    }
}
