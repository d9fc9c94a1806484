using BenchmarkDotNet.Attributes;
using Summarizer.Inference;

namespace Summarizer.Benchmarks;

/// <summary>
/// One whole summary of a ~400-word article (normalize, tokenize, ONNX encoder, native decoder with search,
/// detokenize, attention maps): beam 4 against greedy in the same run. Bundle (SUMMARIZER_BENCH_BUNDLE, default the tiny
/// fixture) and article (SUMMARIZER_BENCH_ARTICLES, default ../shared/data/cnndm/val.jsonl.xz): see
/// <see cref="EndToEndBenchmarkConfig"/>; encoder threads: SUMMARIZER_BENCH_THREADS (default 1).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndBenchmarkConfig))]
public class EndToEndBenchmarks
{
    /// <summary>Generated tokens per summary, forced (min = max) so every arm and model decodes the same steps.</summary>
    public const int SummaryTokens = 60;

    private TransformerSummarizer _summarizer = null!;
    private string _article = null!;
    private DecodingOptions _greedy = null!, _beam = null!;

    /// <summary>Loads the bundle and the article.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var bundle = EndToEndBenchmarkConfig.FindBundle();
        _summarizer = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = EncoderThreads() });
        _article = EndToEndBenchmarkConfig.LoadArticle();
        (_greedy, _beam) = Options(_summarizer);
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

    /// <summary>
    /// The bundle's defaults (no-repeat n-gram, length penalty) with a fixed length of <see cref="SummaryTokens"/>
    /// (capped by max_tgt_len): an untrained model would otherwise stop at random points.
    /// </summary>
    internal static (DecodingOptions Greedy, DecodingOptions Beam) Options(TransformerSummarizer summarizer)
    {
        var length = Math.Min(SummaryTokens, summarizer.Model.Config.MaxTargetLength);
        var beam = summarizer.Model.Defaults with { NumBeams = 4, MinLength = length, MaxLength = length };
        return (beam with { NumBeams = 1 }, beam);
    }

    /// <summary>ONNX Runtime intra-op threads of the encoder: SUMMARIZER_BENCH_THREADS, default 1.</summary>
    internal static int EncoderThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("SUMMARIZER_BENCH_THREADS"), out var threads) ? threads : 1;
}
