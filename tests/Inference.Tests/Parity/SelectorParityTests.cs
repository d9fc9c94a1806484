using System.Text.Json.Nodes;
using Summarizer.Inference.Selector;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests.Parity;

/// <summary>The native sentence selector against PyTorch's (training/selector.py) for the tiny bundle's selector (selector-parity.json).</summary>
[Collection(TinyBundleCollection.Name)]
public class SelectorParityTests(TinyBundle bundle)
{
    private static readonly Lazy<JsonArray> Cases = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TinyBundle.Find(), "selector-parity.json")))!["cases"]!.AsArray());

    public static IEnumerable<object[]> CaseIndices() => Enumerable.Range(0, Cases.Value.Count).Select(i => new object[] { i });

    private SentenceSelector Selector => bundle.Summarizer.Selector ?? throw new InvalidOperationException("the tiny bundle has no selector");

    [Fact]
    public void The_tiny_bundle_has_a_selector_with_its_configured_sizes()
    {
        var c = bundle.Summarizer.Model.Selector!;
        Assert.Equal(384, c.DMemory);
        Assert.Equal(64, c.DModel);
        Assert.Equal(2, c.Layers);
        Assert.Equal(2, c.MaxSentences); // fewer than the cases have sentences: the last position is shared
        Assert.Same(c, Selector.Config);
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Scores_attention_and_selection_equal_pytorch(int index)
    {
        var c = Cases.Value[index]!;
        var memory = c["memory"]!.AsArray().Select(x => (float)x!).ToArray();
        var ids = c["src_ids"]!.AsArray().Select(x => (int)x!).ToArray();
        var ranges = c["ranges"]!.AsArray().Select((r, j) => new SentenceTokenRange(j, (int)r![0]!, (int)r[1]!)).ToArray();
        var expectedScores = c["scores"]!.AsArray().Select(x => (float)x!).ToArray();
        var expectedAttention = c["attention"]!.AsArray().Select(r => r!.AsArray().Select(x => (float)x!).ToArray()).ToArray();
        Assert.True(ranges.Length > 1, "a case needs several sentences");

        var (scores, attention) = Selector.Score(memory, ids.Length, ranges);

        Assert.Equal(expectedScores.Length, scores.Length);
        for (var j = 0; j < scores.Length; j++)
            Assert.True(Math.Abs(scores[j] - expectedScores[j]) < 2e-4, $"sentence {j}: C# {scores[j]}, PyTorch {expectedScores[j]}");
        for (var i = 0; i < ranges.Length; i++)
            for (var j = 0; j < ranges.Length; j++)
                Assert.True(Math.Abs(attention[i * ranges.Length + j] - expectedAttention[i][j]) < 2e-5,
                    $"attention [{i},{j}]: C# {attention[i * ranges.Length + j]}, PyTorch {expectedAttention[i][j]}");
        var selected = ExtractiveSelection.Select(scores, ids, ranges, (int)c["count"]!);
        Assert.Equal(c["selected"]!.AsArray().Select(x => (int)x!), selected);
    }

    [Fact]
    public void A_case_has_more_sentences_than_positions_so_the_last_position_is_shared()
    {
        Assert.Contains(Cases.Value, c => c!["ranges"]!.AsArray().Count > Selector.Config.MaxSentences);
    }
}
