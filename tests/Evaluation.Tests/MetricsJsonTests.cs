using System.Text.Json.Nodes;
using Summarizer.Eval;
using Summarizer.Evaluation;

namespace Summarizer.Evaluation.Tests;

public class MetricsJsonTests
{
    private static readonly EvaluationReport Report = new(
        300,
        new RougeAverages(41.23456, 18.0051, 28.9, 38.114999),
        new RougeAverages(40.0, 17.5551, 25.0, 36.3),
        812.346, 1103.9, 1502.004);

    private static readonly DecodingOptions Options = new()
    {
        NumBeams = 4,
        LengthPenalty = 1.2f,
        MinLength = 40,
        MaxLength = 100,
        NoRepeatNgramSize = 3,
        EarlyStopping = true,
    };

    [Fact]
    public void Writes_every_field_with_config_json_names_and_rounded_scores()
    {
        var text = MetricsJson.Format(Report, "val.jsonl.xz", 1000, Options);
        var json = JsonNode.Parse(text)!.AsObject();

        Assert.Equal(["rows", "offset", "data", "mode", "decoding", "rouge", "lead3", "latency_ms"], json.Select(p => p.Key));
        Assert.Equal("abstractive", (string)json["mode"]!);
        Assert.Equal(300, (int)json["rows"]!);
        Assert.Equal(1000, (int)json["offset"]!);
        Assert.Equal("val.jsonl.xz", (string)json["data"]!);

        var decoding = json["decoding"]!.AsObject();
        Assert.Equal(["num_beams", "length_penalty", "min_length", "max_length", "no_repeat_ngram_size", "early_stopping", "grounded", "no_repeat_word_ngram_size", "max_word_repeats", "source_phrase_bonus", "select_sentences", "copy_salience"], decoding.Select(p => p.Key));
        Assert.Equal(4, (int)decoding["num_beams"]!);
        Assert.Equal(1.2, (double)decoding["length_penalty"]!, 6);
        Assert.Equal(40, (int)decoding["min_length"]!);
        Assert.Equal(100, (int)decoding["max_length"]!);
        Assert.Equal(3, (int)decoding["no_repeat_ngram_size"]!);
        Assert.True((bool)decoding["early_stopping"]!);

        Assert.Equal(["rouge1", "rouge2", "rougeLsum"], json["rouge"]!.AsObject().Select(p => p.Key));
        Assert.Equal((41.23, 18.01, 38.11), ((double)json["rouge"]!["rouge1"]!, (double)json["rouge"]!["rouge2"]!, (double)json["rouge"]!["rougeLsum"]!));
        Assert.Equal(["rouge1", "rouge2", "rougeLsum"], json["lead3"]!.AsObject().Select(p => p.Key));
        Assert.Equal((40.0, 17.56, 36.3), ((double)json["lead3"]!["rouge1"]!, (double)json["lead3"]!["rouge2"]!, (double)json["lead3"]!["rougeLsum"]!));

        Assert.Equal(["p50", "p90", "p99"], json["latency_ms"]!.AsObject().Select(p => p.Key));
        Assert.Equal((812.35, 1103.9, 1502.0), ((double)json["latency_ms"]!["p50"]!, (double)json["latency_ms"]!["p90"]!, (double)json["latency_ms"]!["p99"]!));
    }

    [Fact]
    public void Flaw_rates_come_last_as_rounded_percentages_when_checked()
    {
        var flaws = new FlawReport(new FlawRates(300, 12.3456, 5, 1.0 / 3, 40), new FlawRates(300, 3, 20, 0, 10), new FlawRates(300, 0, 0, 0, 2.5));

        var json = JsonNode.Parse(MetricsJson.Format(Report with { Flaws = flaws }, "val.jsonl", 0, Options))!.AsObject();

        Assert.Equal(["rows", "offset", "data", "mode", "decoding", "rouge", "lead3", "latency_ms", "flaws"], json.Select(p => p.Key));
        Assert.Equal(["model", "references", "lead3"], json["flaws"]!.AsObject().Select(p => p.Key));
        var model = json["flaws"]!["model"]!.AsObject();
        Assert.Equal(["invented_words", "unstated_numbers", "stutters", "repeated_content_words"], model.Select(p => p.Key));
        Assert.Equal((12.35, 5.0, 0.33, 40.0), ((double)model["invented_words"]!, (double)model["unstated_numbers"]!, (double)model["stutters"]!, (double)model["repeated_content_words"]!));
        Assert.Equal(20.0, (double)json["flaws"]!["references"]!["unstated_numbers"]!);
        Assert.Equal(2.5, (double)json["flaws"]!["lead3"]!["repeated_content_words"]!);
    }

    [Fact]
    public void An_extractive_run_names_its_mode_sentence_count_and_order_in_place_of_decoding()
    {
        var flaws = new FlawReport(new FlawRates(300, 0, 0, 0, 30), new FlawRates(300, 3, 20, 0, 10), new FlawRates(300, 0, 0, 0, 2.5));

        var json = JsonNode.Parse(MetricsJson.Format(Report with { Flaws = flaws }, "val.jsonl", 0, new ExtractiveOptions(4, SentenceOrder.Rank)))!.AsObject();

        Assert.Equal(["rows", "offset", "data", "mode", "extractive", "rouge", "lead3", "latency_ms", "flaws"], json.Select(p => p.Key));
        Assert.Equal("extractive", (string)json["mode"]!);
        Assert.Equal(4, (int)json["extractive"]!["sentence_count"]!);
        Assert.Equal("rank", (string)json["extractive"]!["sentence_order"]!);
        Assert.Equal("offset", (string)MetricsJson.Build(Report, "val.jsonl", 0, new ExtractiveOptions(3))["extractive"]!["sentence_order"]!);
        Assert.Equal(41.23, (double)json["rouge"]!["rouge1"]!);
        Assert.Equal(812.35, (double)json["latency_ms"]!["p50"]!);
        Assert.Equal(30.0, (double)json["flaws"]!["model"]!["repeated_content_words"]!);
    }

    [Fact]
    public void Numbers_are_written_short()
    {
        var text = MetricsJson.Format(Report, "val.jsonl", 0, Options);
        Assert.Contains("\"rouge1\": 41.23,", text);
        Assert.Contains("\"length_penalty\": 1.2,", text);
        Assert.Contains("\"early_stopping\": true", text);
        Assert.EndsWith("}\n", text);
    }
}
