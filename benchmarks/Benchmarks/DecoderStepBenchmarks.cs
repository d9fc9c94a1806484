using System.Globalization;
using BenchmarkDotNet.Attributes;
using Summarizer.Inference;
using Summarizer.Inference.Decoder;
using Summarizer.Inference.Text;
using Summarizer.Reference;

namespace Summarizer.Benchmarks;

/// <summary>
/// One decoder step on a warm cache, the native C# decoder (<see cref="TransformerDecoder"/>) against ONNX Runtime running
/// the same weights (<see cref="OnnxDecoderStep"/>: training/export_step_onnx.py's graphs), both single-threaded.
/// The bundle is SUMMARIZER_BENCH_BUNDLE (default the shipped models/arcticxs-copy); its graphs are in
/// SUMMARIZER_BENCH_STEP_ONNX (default training/out/step-onnx/&lt;bundle name&gt;, where the export script writes them).
/// The source is the benchmark article (<see cref="EndToEndBenchmarkConfig.LoadArticle"/>) cut at max_src_len, encoded
/// once; both sides decode <see cref="Position"/> steps of the same tokens to warm their caches, must agree on every
/// log-prob of every step, and then each operation is the step at <see cref="Position"/>: the native caches are
/// truncated back after it, ONNX Runtime's presents are dropped (its pasts stay), so every operation is the same step.
/// Neither reorders beams (the same work for both).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[Config(typeof(EndToEndBenchmarkConfig))]
public class DecoderStepBenchmarks
{
    /// <summary>The timed step's position: the cache holds this many positions before it (a third into the bundle's 56–100-token summaries).</summary>
    public const int Position = 30;

    private TransformerSummarizer _summarizer = null!;
    private DecoderState _state = null!;
    private TransformerSummarizer _shipped = null!;  // the bundle's own decoder: int8 where decoder_quantization says
    private DecoderState _shippedState = null!;
    private OnnxDecoderStep _onnx = null!;
    private int[] _tokens = null!;
    private float[] _memory = null!;

    /// <summary>Rows decoded together (1 = greedy, 4 = beam of 4).</summary>
    [Params(1, 4)]
    public int Rows { get; set; }

    /// <summary>A bundle directory (<c>--bundle DIR</c> of <see cref="DecoderStepRoundRobin"/>); null: see the class summary.</summary>
    internal string? Bundle { get; init; }

    /// <summary>An articles file (<c>--articles FILE</c>); null: <see cref="EndToEndBenchmarkConfig.LoadArticle"/>'s default.</summary>
    internal string? Articles { get; init; }

    /// <summary>Loads the bundle and its graphs, encodes the article, warms both caches and checks both agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var bundle = EndToEndBenchmarkConfig.FindBundle(Bundle, EndToEndBenchmarkConfig.ShippedBundle);
        // The ONNX graphs hold the weights as stored, so the step compared with them is the full-precision one.
        _summarizer = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = 1, FullPrecisionDecoder = true });
        _shipped = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = 1 });
        var model = _summarizer.Model;
        var (allIds, _) = _summarizer.Tokenizer.EncodeWords(TextNormalizer.Normalize(EndToEndBenchmarkConfig.LoadArticle(Articles)));
        var source = allIds[..Math.Min(allIds.Length, model.Config.MaxSourceLength)];
        var memory = _memory = _summarizer.Encoder.Encode(source);
        _state = _summarizer.Decoder.CreateState(memory, source, Rows);
        _shippedState = _shipped.Decoder.CreateState(memory, source, Rows);
        _onnx = OnnxDecoderStep.Load(FindGraphs(model.Name));
        _onnx.Start(memory, source, Rows);

        // The same tokens for both: BOS, then source ids (a different one per row), as a copying summary would feed.
        int[] Tokens(int t) => Enumerable.Range(0, Rows).Select(r => t == 0 ? model.Config.BosId : source[(7 * t + 13 * r) % source.Length]).ToArray();
        var (absolute, relative) = (0f, 0f);
        for (var t = 0; t <= Position; t++)
        {
            if (t < Position)
            {
                var tokens = Tokens(t);
                _state.Step(tokens, t);
                _shippedState.Step(tokens, t);
                _onnx.Step(tokens, t);
            }
            else
            {
                _tokens = Tokens(Position);
                Native();
                NativeAsShipped();
                OnnxRuntime();
            }
            var (stepAbsolute, stepRelative) = Differences();
            (absolute, relative) = (Math.Max(absolute, stepAbsolute), Math.Max(relative, stepRelative));
        }

        var weights = _summarizer.Decoder.Weights;
        NativeWeightBytes = DecoderStepTraffic.NativeStoresHalves(weights) ? 2 : 4;
        Traffic = DecoderStepTraffic.Of(weights, source.Length, Rows, Position);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// {bundle}: source {source.Length} tokens, {Rows} row(s), step at position {Position}; native and ONNX Runtime agree on every log-prob of steps 0..{Position}: largest |Δ log P| {absolute:E2}, largest |Δ| / max(1, |log P|) {relative:E2} (tolerance {OnnxDecoderStep.Tolerance:E0})"));
        Console.WriteLine($"// bytes per step: {Traffic.Describe(NativeWeightBytes)}");
    }

    /// <summary>The bytes this step moves (after <see cref="Setup"/>).</summary>
    internal DecoderStepTraffic Traffic { get; private set; } = null!;

    /// <summary>Bytes per weight-matrix value as the native decoder stores them: 2 for an fp16-exact bundle, else 4.</summary>
    internal int NativeWeightBytes { get; private set; }

    /// <summary>The native step's stages on this step's weights, source and rows (after <see cref="Setup"/>).</summary>
    internal DecoderStageReplica CreateStageReplica() =>
        new(_summarizer.Decoder.Weights, _memory, _memory.Length / _summarizer.Model.Config.DModel, Rows, Position, _summarizer.Model.Config.NormEps);

    /// <summary>The native step (allocates nothing), then its caches rewound to <see cref="Position"/>.</summary>
    [Benchmark(Baseline = true)]
    public float Native() => StepAndRewind(_state);

    /// <summary>The same step with the bundle's own decoder (int8 matrices where its <c>decoder_quantization</c> says; not parity-checked: int8 is close, not equal).</summary>
    [Benchmark]
    public float NativeAsShipped() => StepAndRewind(_shippedState);

    // The step at Position, then the caches truncated back so the next call is the same step.
    private float StepAndRewind(DecoderState state)
    {
        state.Step(_tokens, Position);
        foreach (var cache in state.Caches)
            cache.Truncate(Position);
        return state.LogProbs(0)[0];
    }

    /// <summary>The bundle's <c>decoder_quantization</c>, as the shipped step runs it.</summary>
    internal DecoderQuantization ShippedQuantization => _shipped.Decoder.Quantization;

    /// <summary>ONNX Runtime's step on the same pasts; its presents are freed at the next step.</summary>
    [Benchmark]
    public float OnnxRuntime()
    {
        _onnx.Step(_tokens, Position, advance: false);
        return _onnx.LogProbs(0)[0];
    }

    /// <summary>Frees the sessions.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _onnx.Dispose();
        _summarizer.Dispose();
        _shipped.Dispose();
    }

    // The largest |native − ONNX Runtime| of the last step over every row, absolute and relative to max(1, |log P|);
    // throws past the tolerance.
    private (float Absolute, float Relative) Differences()
    {
        var (absolute, relative) = (0f, 0f);
        for (var r = 0; r < Rows; r++)
        {
            ReadOnlySpan<float> native = _state.LogProbs(r), onnx = _onnx.LogProbs(r);
            var row = OnnxDecoderStep.Difference(native, onnx);
            if (row.Relative > OnnxDecoderStep.Tolerance)
                throw new InvalidOperationException($"Native and ONNX Runtime disagree on row {r}, id {row.Id}: {native[row.Id]} vs {onnx[row.Id]}.");
            (absolute, relative) = (Math.Max(absolute, row.Absolute), Math.Max(relative, row.Relative));
        }
        return (absolute, relative);
    }

    // SUMMARIZER_BENCH_STEP_ONNX, else training/out/step-onnx/<bundle name> above the working directory or the binaries.
    private static string FindGraphs(string bundleName)
    {
        if (Environment.GetEnvironmentVariable("SUMMARIZER_BENCH_STEP_ONNX") is { Length: > 0 } directory)
            return directory;
        var relative = Path.Combine("training", "out", "step-onnx", bundleName);
        return EndToEndBenchmarkConfig.Above(Path.Combine(relative, OnnxDecoderStep.StepFile)) is { } step
            ? Path.GetDirectoryName(step)!
            : throw new FileNotFoundException($"No {relative}/{OnnxDecoderStep.StepFile}: export the graphs first, python3 -m training.export_step_onnx --bundle <bundle> (training/export_step_onnx.py), or set SUMMARIZER_BENCH_STEP_ONNX.");
    }
}
