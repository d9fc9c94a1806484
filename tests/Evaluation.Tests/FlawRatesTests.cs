namespace Summarizer.Evaluation.Tests;

public class FlawRatesTests
{
    private static readonly SummaryFlaws Clean = new([], [], [], []);

    [Fact]
    public void Rates_are_the_percent_of_summaries_with_at_least_one()
    {
        SummaryFlaws[] flaws =
        [
            Clean with { InventedWords = ["zorp", "blick"], Stutters = ["depot"] },
            Clean with { InventedWords = ["zorp"] },
            Clean with { UnstatedNumbers = ["47"] },
            Clean,
        ];

        var rates = FlawRates.Of(flaws);

        Assert.Equal(new FlawRates(4, 50, 25, 25, 0), rates);
    }

    [Fact]
    public void No_summaries_rate_zero()
    {
        Assert.Equal(new FlawRates(0, 0, 0, 0, 0), FlawRates.Of([]));
    }

    [Fact]
    public void A_report_rates_the_model_the_references_and_lead3_apart()
    {
        PredictionFlaws[] rows =
        [
            new(Clean with { Stutters = ["a"] }, Clean, Clean),
            new(Clean, Clean with { RepeatedContentWords = ["b"] }, Clean),
        ];

        var report = FlawReport.Of(rows);

        Assert.Equal(new FlawRates(2, 0, 0, 50, 0), report.Model);
        Assert.Equal(new FlawRates(2, 0, 0, 0, 50), report.Reference);
        Assert.Equal(new FlawRates(2, 0, 0, 0, 0), report.Lead3);
    }
}
