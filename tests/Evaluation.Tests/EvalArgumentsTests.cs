using Summarizer.Eval;

namespace Summarizer.Evaluation.Tests;

public class EvalArgumentsTests
{
    [Fact]
    public void Parses_every_option()
    {
        var parsed = EvalArguments.Parse([
            "--model", "bundle", "--data", "val.jsonl.xz", "--rows", "50", "--offset", "10", "--beams", "2", "--max-length", "80",
            "--min-length", "30", "--length-penalty", "1.5", "--no-repeat-ngram-size", "3", "--threads", "4", "--out", "p.jsonl",
            "--metrics-json", "m.json", "--early-stopping", "true", "--words", "words.txt",
        ]);

        Assert.Equal(new EvalArguments
        {
            Model = "bundle",
            Data = "val.jsonl.xz",
            Rows = 50,
            Offset = 10,
            Threads = 4,
            Out = "p.jsonl",
            MetricsJson = "m.json",
            Words = "words.txt",
            Decoding = new DecodingOverrides
            {
                NumBeams = 2,
                MaxLength = 80,
                MinLength = 30,
                LengthPenalty = 1.5f,
                NoRepeatNgramSize = 3,
                EarlyStopping = true,
            },
        }, parsed);
    }

    [Fact]
    public void The_word_list_defaults_to_the_system_dictionary_when_it_exists()
    {
        var defaults = EvalArguments.Parse(["--model", "m", "--data", "d"]);

        Assert.Null(defaults.Words);
        Assert.Equal("/usr/share/dict/words", defaults.WordListFile(path => path == "/usr/share/dict/words"));
        Assert.Null(defaults.WordListFile(_ => false));
    }

    [Fact]
    public void A_given_word_list_is_used_and_none_disables_it()
    {
        var given = EvalArguments.Parse(["--model", "m", "--data", "d", "--words", "my.txt"]);
        var none = EvalArguments.Parse(["--model", "m", "--data", "d", "--words", "none"]);

        Assert.Equal("my.txt", given.WordListFile(_ => false));
        Assert.Null(none.WordListFile(_ => true));
    }

    [Fact]
    public void Overrides_only_the_given_decoding_options()
    {
        var defaults = new DecodingOptions { NumBeams = 4, MaxLength = 100, MinLength = 40, LengthPenalty = 2f, NoRepeatNgramSize = 3, EarlyStopping = true };
        var model = Model(defaults);

        var options = EvalArguments.Parse(["--model", "m", "--data", "d", "--beams", "1", "--min-length", "0"]).Decoding.Resolve(model);

        Assert.Equal(defaults with { NumBeams = 1, MinLength = 0 }, options);
    }

    [Fact]
    public void Content_selection_options_override_the_bundles()
    {
        var defaults = new DecodingOptions { CopySalience = 3f, SelectSentences = 0 };
        var options = EvalArguments.Parse(["--model", "m", "--data", "d", "--copy-salience", "0", "--select-sentences", "4"]).Decoding.Resolve(Model(defaults));

        Assert.Equal(defaults with { CopySalience = 0f, SelectSentences = 4 }, options);
    }

    [Fact]
    public void A_shorter_max_length_caps_the_default_min_length_as_in_the_api()
    {
        var model = Model(new DecodingOptions { MaxLength = 100, MinLength = 40 });

        var options = EvalArguments.Parse(["--model", "m", "--data", "d", "--max-length", "20"]).Decoding.Resolve(model);

        Assert.Equal(20, options.MaxLength);
        Assert.Equal(20, options.MinLength);
    }

    [Fact]
    public void Abstractive_is_the_default_mode()
    {
        var defaults = EvalArguments.Parse(["--model", "m", "--data", "d"]);

        Assert.Equal(SummaryMode.Abstractive, defaults.Mode);
        Assert.Null(defaults.SentenceCount);
        Assert.Null(defaults.SentenceOrder);
        Assert.Equal(SummaryMode.Abstractive, EvalArguments.Parse(["--model", "m", "--data", "d", "--mode", "abstractive", "--beams", "2"]).Mode);
    }

    [Fact]
    public void Parses_the_extractive_options()
    {
        var parsed = EvalArguments.Parse(["--model", "m", "--data", "d", "--sentence-count", "5", "--mode", "extractive", "--sentence-order", "rank"]);

        Assert.Equal(SummaryMode.Extractive, parsed.Mode);
        Assert.Equal(5, parsed.SentenceCount);
        Assert.Equal(SentenceOrder.Rank, parsed.SentenceOrder);
        Assert.Equal(new DecodingOverrides(), parsed.Decoding);
        Assert.Equal(new ExtractiveOptions(5, SentenceOrder.Rank), parsed.ResolveExtractive(Model(new DecodingOptions(), SelectorWithDefault(3))));
    }

    [Fact]
    public void The_sentence_count_defaults_to_the_bundle_selector_s_and_the_order_to_offset()
    {
        var parsed = EvalArguments.Parse(["--model", "m", "--data", "d", "--mode", "extractive"]);

        Assert.Equal(new ExtractiveOptions(4, SentenceOrder.Offset), parsed.ResolveExtractive(Model(new DecodingOptions(), SelectorWithDefault(4))));
        Assert.Equal(20, EvalArguments.Parse(["--model", "m", "--data", "d", "--mode", "extractive", "--sentence-count", "20"]).SentenceCount);
    }

    [Fact]
    public void Extractive_mode_needs_a_bundle_with_a_selector()
    {
        var parsed = EvalArguments.Parse(["--model", "m", "--data", "d", "--mode", "extractive"]);

        var error = Assert.Throws<ArgumentException>(() => parsed.ResolveExtractive(Model(new DecodingOptions())));

        Assert.Contains("--mode extractive needs a bundle with a sentence selector; the model 'm' has none", error.Message);
    }

    private static SelectorConfig SelectorWithDefault(int sentenceCount) => new()
    {
        File = "selector.safetensors",
        DMemory = 4,
        DModel = 4,
        HeadCount = 1,
        FeedForwardDim = 8,
        Layers = 1,
        DAttention = 4,
        MaxSentences = 8,
        SentenceCount = sentenceCount,
    };

    private static ModelInfo Model(DecodingOptions defaults, SelectorConfig? selector = null) => new()
    {
        Selector = selector,
        Name = "m",
        BundleVersion = 2,
        Config = new ModelConfig
        {
            VocabSize = 10,
            DModel = 4,
            HeadCount = 1,
            FeedForwardDim = 8,
            DecoderLayers = 1,
            ShortlistSize = 10,
            MaxSourceLength = 16,
            MaxTargetLength = 128,
            NormEps = 1e-12f,
            PadId = 0,
            UnkId = 1,
            BosId = 2,
            EosId = 3,
        },
        EncoderLayers = 1,
        Parameters = 1,
        Defaults = defaults,
        Card = [],
    };

    [Theory]
    [InlineData(new[] { "--data", "d" }, "--model")]
    [InlineData(new[] { "--model", "m" }, "--data")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--rows" }, "--rows needs a value")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--rows", "-1" }, "--rows needs an integer >= 0")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--beams", "0" }, "--beams needs an integer >= 1")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--length-penalty", "NaN" }, "--length-penalty needs a number")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--early-stopping", "yes" }, "--early-stopping needs true or false")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--beam", "2" }, "Unknown option '--beam'")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--words", " " }, "--words needs a file or none")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--words" }, "--words needs a value")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "Extractive" }, "--mode needs abstractive or extractive; got 'Extractive'")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "both" }, "--mode needs abstractive or extractive; got 'both'")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode" }, "--mode needs a value")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "extractive", "--sentence-count", "0" }, "--sentence-count needs an integer from 1 to 20; got '0'")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "extractive", "--sentence-count", "21" }, "--sentence-count needs an integer from 1 to 20; got '21'")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "extractive", "--sentence-count", "three" }, "--sentence-count needs an integer from 1 to 20")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "extractive", "--sentence-order", "score" }, "--sentence-order needs offset or rank; got 'score'")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "extractive", "--beams", "2" }, "--beams is a decoding option: it does not apply to --mode extractive")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--grounded", "false", "--mode", "extractive" }, "--grounded is a decoding option: it does not apply to --mode extractive")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "extractive", "--min-length", "10" }, "--min-length is a decoding option")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "extractive", "--source-phrase-bonus", "0" }, "--source-phrase-bonus is a decoding option")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "extractive", "--copy-salience", "2" }, "--copy-salience is a decoding option")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--copy-salience", "much" }, "--copy-salience needs a number")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--sentence-count", "3" }, "--sentence-count applies only to --mode extractive")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--mode", "abstractive", "--sentence-order", "rank" }, "--sentence-order applies only to --mode extractive")]
    public void Bad_command_lines_say_what_is_wrong(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => EvalArguments.Parse(args));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("--beams", "numBeams")]
    [InlineData("--length-penalty", "lengthPenalty")]
    [InlineData("--no-repeat-ngram-size", "noRepeatNgramSize")]
    [InlineData("--no-repeat-word-ngram-size", "noRepeatWordNgramSize")]
    [InlineData("--max-word-repeats", "maxWordRepeats")]
    [InlineData("--source-phrase-bonus", "sourcePhraseBonus")]
    [InlineData("--select-sentences", "selectSentences")]
    [InlineData("--copy-salience", "copySalience")]
    public void Decoding_option_bounds_are_the_validator_s(string flag, string option)
    {
        var rule = DecodingOptionsValidator.Rule(option);
        var largest = rule.Maximum!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pastLargest = (rule.Maximum!.Value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var belowSmallest = (rule.Minimum - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        EvalArguments.Parse(["--model", "m", "--data", "d", flag, largest]);
        Assert.Contains($"{flag} needs", Assert.Throws<ArgumentException>(() => EvalArguments.Parse(["--model", "m", "--data", "d", flag, pastLargest])).Message);
        Assert.Contains($"at most {largest}", Assert.Throws<ArgumentException>(() => EvalArguments.Parse(["--model", "m", "--data", "d", flag, belowSmallest])).Message);
    }

    [Fact]
    public void Help_needs_nothing_else_and_mentions_xz()
    {
        Assert.True(EvalArguments.Parse(["--help"]).Help);
        Assert.Contains("xz -dc", EvalArguments.Usage);
        Assert.Contains("--words FILE", EvalArguments.Usage);
        Assert.Contains("--mode M", EvalArguments.Usage);
        Assert.Contains("--sentence-count N", EvalArguments.Usage);
        Assert.Contains("--sentence-order O", EvalArguments.Usage);
    }
}
