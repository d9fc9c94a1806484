using System.Text.Json.Nodes;
using Summarizer.Inference.Tests.Support;

namespace Summarizer.Inference.Tests;

/// <summary>decoding-rules.json is the decoding options' one contract: one rule per option, read by C# and Python alike, stated by every bundle.</summary>
public class DecodingOptionRulesTests
{
    private static readonly string RepositoryRoot = Path.GetFullPath(Path.Combine(TinyBundle.Find(), "..", "..", ".."));

    private static readonly DecodingOptions Valid = new() { NumBeams = 4, MaxLength = 100, LengthPenalty = 1f };

    public static TheoryData<string> RangedOptions => new(DecodingOptionsValidator.Rules.Where(r => r.Maximum is not null).Select(r => r.Name));

    [Fact]
    public void Every_option_has_one_rule_of_its_type()
    {
        var properties = typeof(DecodingOptions).GetProperties();
        Assert.Equal(properties.Select(p => p.Name).Order(), DecodingOptionsValidator.Rules.Select(r => r.PropertyName).Order());
        Assert.Equal(properties.Length, DecodingOptionsValidator.Rules.Select(r => r.BundleKey).Distinct().Count());
        foreach (var rule in DecodingOptionsValidator.Rules)
            Assert.IsType(rule.Kind switch { DecodingOptionKind.Integer => typeof(int), DecodingOptionKind.Number => typeof(float), _ => typeof(bool) }, rule.ValueOf(Valid));
    }

    [Fact]
    public void The_embedded_rules_are_the_file_training_reads()
    {
        using var embedded = typeof(DecodingOptionsValidator).Assembly.GetManifestResourceStream(DecodingOptionsValidator.RulesResource)!;
        using var reader = new StreamReader(embedded);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Inference", "decoding-rules.json")), reader.ReadToEnd());
        Assert.Contains("decoding-rules.json", File.ReadAllText(Path.Combine(RepositoryRoot, "training", "decoding.py")));
    }

    [Theory]
    [InlineData("models/arcticxs-copy")]
    [InlineData("tests/fixtures/tiny")]
    public void Every_shipped_bundle_states_every_option(string bundle)
    {
        var decoding = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, bundle, "config.json")))!["decoding"]!.AsObject();
        Assert.Equal(DecodingOptionsValidator.Rules.Select(r => r.BundleKey), decoding.Select(p => p.Key));
    }

    [Theory]
    [MemberData(nameof(RangedOptions))]
    public void Each_fixed_range_is_checked_at_both_ends(string name)
    {
        var rule = DecodingOptionsValidator.Rule(name);
        var step = rule.Kind == DecodingOptionKind.Integer ? 1 : 0.5;
        foreach (var (value, valid) in new[] { (rule.Minimum, true), (rule.Maximum!.Value, true), (rule.Minimum - step, false), (rule.Maximum!.Value + step, false) })
        {
            var options = Valid with { };
            rule.Assign(options, rule.Kind == DecodingOptionKind.Integer ? (object)(int)value : (float)value);
            var errors = DecodingOptionsValidator.Validate(options, 128);
            if (valid)
                Assert.Empty(errors);
            else
                Assert.Equal(rule.PropertyName, Assert.Single(errors).Option);
        }
    }

    [Fact]
    public void The_largest_min_length_is_the_largest_max_length()
    {
        Assert.Equal(64, DecodingOptionsValidator.LargestValue(DecodingOptionsValidator.Rule("minLength"), 64));
        Assert.Empty(DecodingOptionsValidator.Validate(Valid with { MaxLength = 64, MinLength = 64 }, 64));
        Assert.Equal("MinLength", Assert.Single(DecodingOptionsValidator.Validate(Valid with { MaxLength = 63, MinLength = 64 }, 64)).Option);
    }
}
