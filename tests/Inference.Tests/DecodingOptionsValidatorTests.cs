namespace Summarizer.Inference.Tests;

public class DecodingOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(DecodingOptionsValidator.Validate(new DecodingOptions(), 128));

    [Theory]
    [InlineData("MaxLength", 0, "1..64")]
    [InlineData("MaxLength", 65, "1..64")]
    [InlineData("MinLength", -1, "0..MaxLength")]
    [InlineData("MinLength", 21, "0..MaxLength")]
    [InlineData("NumBeams", 0, "1..16")]
    [InlineData("NumBeams", 17, "1..16")]
    [InlineData("LengthPenalty", -1, "0..5")]
    [InlineData("LengthPenalty", 6, "0..5")]
    [InlineData("NoRepeatNgramSize", -1, "0..10")]
    [InlineData("NoRepeatNgramSize", 11, "0..10")]
    public void Each_out_of_range_option_is_named_with_its_range(string option, int value, string range)
    {
        var options = new DecodingOptions { MaxLength = 20 };
        options = option switch
        {
            "MaxLength" => options with { MaxLength = value, MinLength = 0 },
            "MinLength" => options with { MinLength = value },
            "NumBeams" => options with { NumBeams = value },
            "LengthPenalty" => options with { LengthPenalty = value },
            _ => options with { NoRepeatNgramSize = value },
        };
        var error = Assert.Single(DecodingOptionsValidator.Validate(options, 64));
        Assert.Equal(option, error.Option);
        Assert.Contains(range, error.Message);
        Assert.Contains(value.ToString(), error.Message);
    }

    [Fact]
    public void NaN_length_penalty_is_invalid() =>
        Assert.Equal("LengthPenalty", Assert.Single(DecodingOptionsValidator.Validate(new DecodingOptions { LengthPenalty = float.NaN }, 128)).Option);

    [Fact]
    public void Every_problem_is_reported_at_once() =>
        Assert.Equal(3, DecodingOptionsValidator.Validate(new DecodingOptions { NumBeams = 0, NoRepeatNgramSize = 99, LengthPenalty = 9 }, 128).Count);
}
