using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Summarizer.Eval;

namespace Summarizer.Evaluation.Tests;

/// <summary>summarizer-eval end to end on the tiny bundle (it has a sentence selector) and four real validation rows (tests/fixtures/cnndm).</summary>
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string Fixtures =
        typeof(EvalCommandTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FixturesDirectory").Value!;

    private static readonly string TinyBundle = Path.Combine(Fixtures, "tiny");

    private static readonly string Rows = Path.Combine(Fixtures, "cnndm", "val-head.jsonl");

    private readonly string _dir = Directory.CreateTempSubdirectory("eval-command-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void An_extractive_run_takes_article_sentences_and_its_metrics_name_the_mode()
    {
        var (code, output, error) = Run("--model", TinyBundle, "--data", Rows, "--mode", "extractive", "--words", "none",
            "--out", Path.Combine(_dir, "p.jsonl"), "--metrics-json", Path.Combine(_dir, "m.json"));

        Assert.True(code == 0, error);
        var articles = EvaluationDataReader.ReadFile(Rows).ToDictionary(r => r.Id, r => r.Article);
        var predictions = File.ReadAllLines(Path.Combine(_dir, "p.jsonl")).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        Assert.Equal(articles.Keys, predictions.Select(p => (string)p["id"]!));
        foreach (var prediction in predictions)
        {
            string article = articles[(string)prediction["id"]!];
            string summary = (string)prediction["summary"]!;
            var extracted = prediction["extracted"]!.AsArray();
            // The bundle's default: at most 3 sentences, in the article's order, each an article sentence as written.
            Assert.InRange(extracted.Count, 1, 3);
            var starts = extracted.Select(s => (int)s!["start"]!).ToList();
            Assert.Equal(starts.Order(), starts);
            Assert.Equal(summary, string.Join(' ', extracted.Select(s => article[(int)s!["start"]!..(int)s!["end"]!])));
            var articleSentences = SentenceSplitter.SplitNatural(article).ToHashSet();
            var summarySentences = SentenceSplitter.SplitNatural(summary);
            Assert.Equal(extracted.Count, summarySentences.Count);
            Assert.All(summarySentences, s => Assert.Contains(s, articleSentences));
            // Copied sentences hold no word and no number the article lacks.
            Assert.Empty(prediction["flaws"]!["invented_words"]!.AsArray());
            Assert.Empty(prediction["flaws"]!["unstated_numbers"]!.AsArray());
            Assert.True((double)prediction["latency_ms"]! > 0);
        }

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")))!.AsObject();
        Assert.Equal("extractive", (string)metrics["mode"]!);
        Assert.False(metrics.ContainsKey("decoding"));
        Assert.Equal(3, (int)metrics["extractive"]!["sentence_count"]!);
        Assert.Equal("offset", (string)metrics["extractive"]!["sentence_order"]!);
        Assert.Equal(4, (int)metrics["rows"]!);
        Assert.Equal(0, (double)metrics["flaws"]!["model"]!["invented_words"]!);
        Assert.Equal(0, (double)metrics["flaws"]!["model"]!["unstated_numbers"]!);
        Assert.True((double)metrics["latency_ms"]!["p50"]! > 0);
        Assert.InRange((double)metrics["rouge"]!["rouge1"]!, 1, 100);
        Assert.Contains("mode extractive", output);
        Assert.Contains("extractive: at most 3 sentences per summary, in offset order", output);
        Assert.DoesNotContain("decoding:", output);
    }

    [Fact]
    public void Sentence_count_and_rank_order_reach_the_selector()
    {
        var (code, _, error) = Run("--model", TinyBundle, "--data", Rows, "--rows", "4", "--mode", "extractive", "--sentence-count", "2",
            "--sentence-order", "rank", "--words", "none", "--out", Path.Combine(_dir, "p.jsonl"), "--metrics-json", Path.Combine(_dir, "m.json"));
        var (code3, _, error3) = Run("--model", TinyBundle, "--data", Rows, "--mode", "extractive", "--sentence-count", "3",
            "--sentence-order", "rank", "--words", "none", "--out", Path.Combine(_dir, "p3.jsonl"));

        Assert.True(code == 0, error);
        Assert.True(code3 == 0, error3);
        var two = File.ReadAllLines(Path.Combine(_dir, "p.jsonl")).Select(line => JsonNode.Parse(line)!["extracted"]!.AsArray()).ToList();
        var three = File.ReadAllLines(Path.Combine(_dir, "p3.jsonl")).Select(line => JsonNode.Parse(line)!["extracted"]!.AsArray()).ToList();
        Assert.Equal(4, two.Count);
        // These articles have many sentences, so every summary has as many as asked for, best-scored first (the fourth
        // article's third-best sentence stands before its second-best, so offset order would fail here).
        Assert.All(two, e => Assert.Equal([1, 2], e.Select(s => (int)s!["rank"]!)));
        Assert.All(three, e => Assert.Equal([1, 2, 3], e.Select(s => (int)s!["rank"]!)));
        Assert.Contains(three, e => (int)e[1]!["start"]! > (int)e[2]!["start"]!);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")))!;
        Assert.Equal(2, (int)metrics["extractive"]!["sentence_count"]!);
        Assert.Equal("rank", (string)metrics["extractive"]!["sentence_order"]!);
    }

    [Fact]
    public void An_abstractive_run_says_so_and_keeps_its_decoding_settings()
    {
        var (code, output, error) = Run("--model", TinyBundle, "--data", Rows, "--rows", "1", "--beams", "1", "--max-length", "8",
            "--words", "none", "--out", Path.Combine(_dir, "p.jsonl"), "--metrics-json", Path.Combine(_dir, "m.json"));

        Assert.True(code == 0, error);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")))!.AsObject();
        Assert.Equal("abstractive", (string)metrics["mode"]!);
        Assert.Equal(1, (int)metrics["decoding"]!["num_beams"]!);
        Assert.False(metrics.ContainsKey("extractive"));
        Assert.False(JsonNode.Parse(File.ReadAllLines(Path.Combine(_dir, "p.jsonl")).Single())!.AsObject().ContainsKey("extracted"));
        Assert.Contains("mode abstractive", output);
    }

    [Fact]
    public void Extractive_mode_on_a_bundle_without_a_selector_fails_naming_the_flag()
    {
        // The tiny bundle's decoder without its "selector" section.
        string bundle = Directory.CreateDirectory(Path.Combine(_dir, "no-selector")).FullName;
        File.Copy(Path.Combine(TinyBundle, "decoder.safetensors"), Path.Combine(bundle, "decoder.safetensors"));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(TinyBundle, "config.json")))!.AsObject();
        Assert.True(config.Remove("selector"));
        File.WriteAllText(Path.Combine(bundle, "config.json"), config.ToJsonString());

        var (code, _, error) = Run("--model", bundle, "--data", Rows, "--mode", "extractive", "--words", "none",
            "--metrics-json", Path.Combine(_dir, "m.json"));

        Assert.Equal(1, code);
        Assert.Contains("--mode extractive needs a bundle with a sentence selector", error);
        Assert.False(File.Exists(Path.Combine(_dir, "m.json")));
    }

    [Theory]
    [InlineData("--mode", "summary", "--mode needs abstractive or extractive")]
    [InlineData("--sentence-count", "0", "--sentence-count needs an integer from 1 to 20")]
    [InlineData("--beams", "2", "--beams is a decoding option")]
    public void A_bad_extractive_command_line_exits_2_naming_the_flag(string name, string value, string expected)
    {
        var (code, output, error) = Run("--model", TinyBundle, "--data", Rows, "--mode", "extractive", name, value);

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.Empty(output);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = EvalCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
