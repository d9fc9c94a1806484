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
}
