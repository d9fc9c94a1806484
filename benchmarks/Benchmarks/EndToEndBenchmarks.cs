using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Summarizer.Inference;

namespace Summarizer.Benchmarks;

/// <summary>
/// One whole summary of a ~400-word article with the tiny fixture model (normalize, tokenize, ONNX encoder, native
/// decoder with search, detokenize, attention maps): beam 4 against greedy in the same run. The article is the parity
/// fixtures' sources joined (already in the repository), cut to 400 words.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DecoderBenchmarkConfig))]
public class EndToEndBenchmarks
{
    private TransformerSummarizer _summarizer = null!;
    private string _article = null!;
    private DecodingOptions _greedy = null!, _beam = null!;

    /// <summary>Loads the bundle and builds the article.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var bundle = DecoderBenchmarkConfig.FindBundle();
        _summarizer = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = 1 });
        var cases = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "parity.json")))!["cases"]!.AsArray();
        var words = cases.SelectMany(c => ((string)c!["text"]!).Split(' ')).Take(400);
        _article = string.Join(' ', words);
        // The bundle's defaults (min 8, no-repeat 3, max 48) with a fixed length so both arms decode the same steps.
        _beam = _summarizer.Model.Defaults with { NumBeams = 4, MinLength = 48, MaxLength = 48 };
        _greedy = _beam with { NumBeams = 1 };
    }

    /// <summary>Greedy decoding, for scale.</summary>
    [Benchmark(Baseline = true)]
    public int Greedy() => _summarizer.Summarize(_article, _greedy).SummaryTokens.Count;

    /// <summary>Beam 4, aggregate attention maps: what the API does by default.</summary>
    [Benchmark]
    public int Beam4() => _summarizer.Summarize(_article, _beam).SummaryTokens.Count;

    /// <summary>Frees the encoder session.</summary>
    [GlobalCleanup]
    public void Cleanup() => _summarizer.Dispose();
}
