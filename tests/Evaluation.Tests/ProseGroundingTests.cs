using System.Reflection;
using System.Text.Json;

namespace Summarizer.Evaluation.Tests;

/// <summary>
/// News as users write it (tests/fixtures/prose: natural case, "£27.5bn", "3.5%", "U.S.", quotes, headlines, bullets),
/// summarized by the shipped model and by the tiny fixture with each bundle's default options, greedy and beam: no
/// summary may hold an invented word, a number the text never states, or a word twice in a row. The same texts
/// decoded without grounding show the check can fail.
/// </summary>
public class ProseGroundingTests
{
    private static readonly string Fixtures =
        typeof(ProseGroundingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FixturesDirectory").Value!;

    private static readonly string[] Texts = File.ReadLines(Path.Combine(Fixtures, "prose", "texts.jsonl"))
        .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)
        .ToArray();

    public static TheoryData<string, int> Bundles() => new()
    {
        { ShippedBundle(), 1 }, { ShippedBundle(), 4 }, { Path.Combine(Fixtures, "tiny"), 1 }, { Path.Combine(Fixtures, "tiny"), 4 },
    };

    // models/arcticxs-copy, two folders above the fixtures.
    private static string ShippedBundle() => Path.GetFullPath(Path.Combine(Fixtures, "..", "..", "models", "arcticxs-copy"));

    [Theory]
    [MemberData(nameof(Bundles))]
    public void Grounded_summaries_of_prose_invent_no_word_and_no_number(string bundle, int beams)
    {
        using var summarizer = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = 1 });
        var checker = new FlawChecker(EnglishWordList.FromVocabulary(BundleConfig.Load(bundle).Encoder));
        var options = summarizer.Model.Defaults with { NumBeams = beams, Grounded = true, NoRepeatNgramSize = 0 };

        foreach (var text in Texts)
        {
            var summary = summarizer.Summarize(text, options, AttentionDetail.None).Summary;
            var flaws = checker.Check(summary, text);
            Assert.True(flaws.InventedWords.Count == 0, $"invented {string.Join(", ", flaws.InventedWords)} in: {summary}");
            Assert.True(flaws.UnstatedNumbers.Count == 0, $"unstated {string.Join(", ", flaws.UnstatedNumbers)} in: {summary}");
            Assert.True(flaws.Stutters.Count == 0, $"stutter {string.Join(", ", flaws.Stutters)} in: {summary}");
            Assert.False(string.IsNullOrWhiteSpace(summary));
        }
    }

    [Fact]
    public void Without_grounding_the_tiny_model_invents_on_the_same_texts()
    {
        using var summarizer = TransformerSummarizer.Load(Path.Combine(Fixtures, "tiny"), new InferenceSettings { IntraOpThreads = 1 });
        var checker = new FlawChecker(EnglishWordList.FromVocabulary(BundleConfig.Load(Path.Combine(Fixtures, "tiny")).Encoder));
        var options = summarizer.Model.Defaults with { NumBeams = 1, Grounded = false };

        var flawed = Texts.Count(text =>
        {
            var flaws = checker.Check(summarizer.Summarize(text, options, AttentionDetail.None).Summary, text);
            return flaws.HasInventedWords || flaws.HasUnstatedNumbers || flaws.HasStutters;
        });

        Assert.True(flawed > 0, "the ungrounded search wrote no flaw: this test could not tell grounding from its absence");
    }
}
