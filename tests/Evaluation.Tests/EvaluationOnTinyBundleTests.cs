using System.Reflection;
using Summarizer.Evaluation;

namespace Summarizer.Evaluation.Tests;

public class EvaluationOnTinyBundleTests
{
    private static readonly string TinyBundle = Path.Combine(
        typeof(EvaluationOnTinyBundleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FixturesDirectory").Value!,
        "tiny");

    [Fact]
    public void The_real_summarizer_runs_cnndm_rows_through_the_service_path()
    {
        EvaluationExample[] rows =
        [
            new("a", "new delhi ( cnn ) in an unusual public raid in india , thousands stormed a jail and dragged out a rape suspect . "
                + "the 35 - year - old suspect died , police said . \" there were thousands of them , \" doungal said .",
                "the 35 - year - old suspect died .\nthousands stormed a jail ."),
            new("b", "( cnn ) the u.s. treasury is n't happy , officials said . it will act on monday .", "the treasury is unhappy ."),
        ];
        using var summarizer = TransformerSummarizer.Load(TinyBundle);
        var predictions = new List<EvaluationPrediction>();

        var report = new EvaluationRunner(summarizer, summarizer.Model.Defaults with { NumBeams = 1, MaxLength = 12 }).Run(rows, predictions.Add);

        Assert.Equal(2, report.Count);
        Assert.All(predictions, p => Assert.False(string.IsNullOrWhiteSpace(p.Summary)));
        Assert.InRange(report.Model.Rouge1, 0, 100);
        Assert.Equal(RougeAverages.Of(rows.Select(r => RougeScorer.Score(Lead3.Select(r.Article), r.Reference)).ToList()), report.Lead3);
        Assert.True(report.LatencyP50Ms > 0 && report.LatencyP50Ms <= report.LatencyP99Ms);
    }

    [Fact]
    public void An_extractive_run_goes_through_the_selector_and_times_each_row()
    {
        EvaluationExample[] rows =
        [
            new("a", "new delhi ( cnn ) in an unusual public raid in india , thousands stormed a jail and dragged out a rape suspect . "
                + "the 35 - year - old suspect died , police said . \" there were thousands of them , \" doungal said . "
                + "the suspect was accused of raping a local woman . police arrested 12 people on friday .",
                "the 35 - year - old suspect died .\nthousands stormed a jail ."),
            new("b", "( cnn ) the u.s. treasury is n't happy , officials said . it will act on monday . the bank denies it .", "the treasury is unhappy ."),
        ];
        using var summarizer = TransformerSummarizer.Load(TinyBundle);
        var extractive = new ExtractiveOptions(2, SentenceOrder.Rank);
        var predictions = new List<EvaluationPrediction>();
        var runner = new EvaluationRunner(summarizer, extractive, new FlawChecker(EnglishWordList.FromVocabulary(BundleConfig.Load(TinyBundle).Encoder)));

        var report = runner.Run(rows, predictions.Add);

        Assert.Equal(SummaryMode.Extractive, runner.Mode);
        Assert.Equal(2, report.Count);
        for (int i = 0; i < rows.Length; i++)
        {
            var direct = summarizer.Extract(summarizer.TokenizeSource(rows[i].Article), extractive);
            Assert.Equal(direct.Summary, predictions[i].Summary);
            Assert.Equal(direct.Extracted, predictions[i].Extracted);
            Assert.Equal(2, predictions[i].Extracted!.Count);
            Assert.True(predictions[i].LatencyMs > 0);
        }

        Assert.Equal(0, report.Flaws!.Model.InventedWords);
        Assert.Equal(0, report.Flaws.Model.UnstatedNumbers);
        Assert.Equal(RougeAverages.Of(rows.Select(r => RougeScorer.Score(Lead3.Select(r.Article), r.Reference)).ToList()), report.Lead3);
        Assert.True(report.LatencyP50Ms > 0 && report.LatencyP50Ms <= report.LatencyP99Ms);
    }
}
