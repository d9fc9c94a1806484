using System.Text.Json;
using Summarizer.Api.Models;
using Summarizer.Api.Services;
using Summarizer.Api.Tests.Infrastructure;
using Summarizer.Eval;
using Summarizer.Inference;

namespace Summarizer.Api.Tests;

/// <summary>One decoding-options contract: the same options given to the HTTP API and to the eval CLI decode alike.</summary>
public sealed class DecodingContractTests
{
    public static TheoryData<string, string[]> SameInputs => new()
    {
        { "{}", [] },
        { """{"numBeams": 2, "maxLength": 20}""", ["--beams", "2", "--max-length", "20"] },
        { """{"maxLength": 3}""", ["--max-length", "3"] }, // the bundle's default minLength is capped alike
        { """{"minLength": 3, "lengthPenalty": 1.5, "noRepeatNgramSize": 0, "earlyStopping": true}""",
            ["--min-length", "3", "--length-penalty", "1.5", "--no-repeat-ngram-size", "0", "--early-stopping", "true"] },
    };

    [Theory]
    [MemberData(nameof(SameInputs))]
    public void EvalCliAndApiResolveIdenticalOptionsFromIdenticalInput(string json, string[] cli)
    {
        using var summarizer = TransformerSummarizer.Load(TestPaths.TinyBundle);
        var model = summarizer.Model;
        var request = JsonSerializer.Deserialize<SummarizeRequest>(json, JsonSerializerOptions.Web)!;
        var errors = new Dictionary<string, string[]>();

        Assert.True(DecodingOptionsResolver.TryResolve(request, model, errors, out var fromApi, out _), string.Join("; ", errors.Keys));
        var fromCli = EvalArguments.Parse(["--model", TestPaths.TinyBundle, "--data", "d.jsonl", .. cli]).Decoding.Resolve(model);

        Assert.Equal(fromApi, fromCli);
    }

    [Fact]
    public void Every_info_range_is_what_the_validator_accepts()
    {
        using var summarizer = TransformerSummarizer.Load(TestPaths.TinyBundle);
        var model = summarizer.Model;

        foreach (var (name, range) in DecodingOptionsResolver.Ranges(model))
        {
            var step = DecodingOptionsValidator.Rule(name).Kind == DecodingOptionKind.Integer ? 1 : 0.5;
            // minLength's bound is the request's maxLength: at its largest, so is that.
            var maxLength = name == "minLength" ? $", \"maxLength\": {model.Config.MaxTargetLength}" : "";
            foreach (var (value, accepted) in new[] { (range.Min, true), (range.Max, true), (range.Min - step, false), (range.Max + step, false) })
            {
                var request = JsonSerializer.Deserialize<SummarizeRequest>($$"""{"{{name}}": {{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}{{maxLength}}}""", JsonSerializerOptions.Web)!;
                var errors = new Dictionary<string, string[]>();
                Assert.Equal(accepted, DecodingOptionsResolver.TryResolve(request, model, errors, out _, out _));
                if (!accepted)
                    Assert.Equal(name, Assert.Single(errors.Keys));
            }
        }
    }
}
