using Summarizer.Eval;

namespace Summarizer.Inference.Tests.Evaluation;

public class EvalArgumentsTests
{
    [Fact]
    public void Parses_every_option()
    {
        var parsed = EvalArguments.Parse([
            "--model", "bundle", "--data", "val.jsonl.xz", "--rows", "50", "--offset", "10", "--beams", "2", "--max-length", "80",
            "--min-length", "30", "--length-penalty", "1.5", "--no-repeat-ngram-size", "3", "--threads", "4", "--out", "p.jsonl",
            "--metrics-json", "m.json",
        ]);

        Assert.Equal(new EvalArguments
        {
            Model = "bundle", Data = "val.jsonl.xz", Rows = 50, Offset = 10, NumBeams = 2, MaxLength = 80, MinLength = 30,
            LengthPenalty = 1.5f, NoRepeatNgramSize = 3, Threads = 4, Out = "p.jsonl", MetricsJson = "m.json",
        }, parsed);
    }

    [Fact]
    public void Overrides_only_the_given_decoding_options()
    {
        var defaults = new DecodingOptions { NumBeams = 4, MaxLength = 100, MinLength = 40, LengthPenalty = 2f, NoRepeatNgramSize = 3, EarlyStopping = true };

        var options = EvalArguments.Parse(["--model", "m", "--data", "d", "--beams", "1", "--min-length", "0"]).ApplyTo(defaults);

        Assert.Equal(defaults with { NumBeams = 1, MinLength = 0 }, options);
    }

    [Theory]
    [InlineData(new[] { "--data", "d" }, "--model")]
    [InlineData(new[] { "--model", "m" }, "--data")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--rows" }, "--rows needs a value")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--rows", "-1" }, "--rows needs an integer >= 0")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--beams", "0" }, "--beams needs an integer >= 1")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--length-penalty", "NaN" }, "--length-penalty needs a number")]
    [InlineData(new[] { "--model", "m", "--data", "d", "--beam", "2" }, "Unknown option '--beam'")]
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
    }
}
