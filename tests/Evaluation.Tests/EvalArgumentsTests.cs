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
    public void A_shorter_max_length_caps_the_default_min_length_as_in_the_api()
    {
        var model = Model(new DecodingOptions { MaxLength = 100, MinLength = 40 });

        var options = EvalArguments.Parse(["--model", "m", "--data", "d", "--max-length", "20"]).Decoding.Resolve(model);

        Assert.Equal(20, options.MaxLength);
        Assert.Equal(20, options.MinLength);
    }

    private static ModelInfo Model(DecodingOptions defaults) => new()
    {
        Name = "m",
        BundleVersion = 2,
        Config = new ModelConfig
        {
            VocabSize = 10,
            DModel = 4,
            HeadCount = 1,
            DFf = 8,
            DecoderLayers = 1,
            NGen = 10,
            MaxSourceLength = 16,
            MaxTargetLength = 128,
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
    public void Bad_command_lines_say_what_is_wrong(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => EvalArguments.Parse(args));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Help_needs_nothing_else_and_mentions_xz()
    {
        Assert.True(EvalArguments.Parse(["--help"]).Help);
        Assert.Contains("xz -dc", EvalArguments.Usage);
        Assert.Contains("--words FILE", EvalArguments.Usage);
    }
}
