namespace Summarizer.Inference.Tests;

public class DecodingOptionsValidatorTests
{
    // DecodingOptions has no defaults (a bundle's decoding section gives them): valid settings to vary.
    private static readonly DecodingOptions Valid = new() { NumBeams = 4, MaxLength = 100, LengthPenalty = 1f };

    [Fact]
    public void Grounded_decoding_refuses_piece_ngram_blocking_naming_the_word_option()
    {
        var error = Assert.Single(DecodingOptionsValidator.Validate(Valid with { Grounded = true, NoRepeatNgramSize = 3 }, 128));
        Assert.Equal("NoRepeatNgramSize", error.Option);
        Assert.Contains("NoRepeatWordNgramSize", error.Message);
        Assert.Empty(DecodingOptionsValidator.Validate(Valid with { Grounded = false, NoRepeatNgramSize = 3 }, 128));
        Assert.Empty(DecodingOptionsValidator.Validate(Valid with { Grounded = true, NoRepeatWordNgramSize = 3 }, 128));
    }

    [Fact]
    public void The_baseline_is_valid() => Assert.Empty(DecodingOptionsValidator.Validate(Valid, 128));

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
    [InlineData("NoRepeatWordNgramSize", -1, "0..10")]
    [InlineData("NoRepeatWordNgramSize", 11, "0..10")]
    [InlineData("MaxWordRepeats", -1, "0..100")]
    [InlineData("MaxWordRepeats", 101, "0..100")]
    [InlineData("SourcePhraseBonus", -1, "0..10")]
    [InlineData("SourcePhraseBonus", 11, "0..10")]
    public void Each_out_of_range_option_is_named_with_its_range(string option, int value, string range)
    {
        var options = Valid with { MaxLength = 20 };
        options = option switch
        {
            "MaxLength" => options with { MaxLength = value, MinLength = 0 },
            "MinLength" => options with { MinLength = value },
            "NumBeams" => options with { NumBeams = value },
            "LengthPenalty" => options with { LengthPenalty = value },
            "NoRepeatWordNgramSize" => options with { NoRepeatWordNgramSize = value },
            "MaxWordRepeats" => options with { MaxWordRepeats = value },
            "SourcePhraseBonus" => options with { SourcePhraseBonus = value },
            _ => options with { NoRepeatNgramSize = value },
        };
        var error = Assert.Single(DecodingOptionsValidator.Validate(options, 64));
        Assert.Equal(option, error.Option);
        Assert.Contains(range, error.Message);
        Assert.Contains(value.ToString(), error.Message);
    }

    [Fact]
    public void NaN_length_penalty_is_invalid() =>
        Assert.Equal("LengthPenalty", Assert.Single(DecodingOptionsValidator.Validate(Valid with { LengthPenalty = float.NaN }, 128)).Option);

    [Fact]
    public void Every_problem_is_reported_at_once() =>
        Assert.Equal(3, DecodingOptionsValidator.Validate(Valid with { NumBeams = 0, NoRepeatNgramSize = 99, LengthPenalty = 9 }, 128).Count);
}
