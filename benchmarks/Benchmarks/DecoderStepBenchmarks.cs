using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Summarizer.Inference;
using Summarizer.Inference.Decoder;
using Summarizer.Inference.Text;

namespace Summarizer.Benchmarks;

/// <summary>
/// Decode steps of a bundle's decoder (<see cref="DecoderBenchmarkConfig.FindBundle"/>) on the benchmark article's
/// source (<see cref="DecoderBenchmarkConfig.LoadArticle"/>, truncated to max_src_len), native C#
/// (<see cref="TransformerDecoder"/>) vs ONNX Runtime running the exported decoder.onnx on the same weights, with
/// cross K/V computed once by cross_kv.onnx.
/// Each operation is one step; an invocation decodes <see cref="Steps"/> steps from position 0 (the cache grows as in a
/// real request). Both run single-threaded; neither reorders beams (the same work for both).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DecoderBenchmarkConfig))]
public class DecoderStepBenchmarks
{
    // A ~3-sentence summary: the length the end-to-end benchmarks force.
    private const int Steps = 60;

    private TransformerSummarizer _summarizer = null!;
    private DecoderState _state = null!;
    private int[] _tokens = null!;
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private string[] _inputNames = null!;
    private string[] _outputNames = null!;
    private OrtValue[] _fixedInputs = null!; // src_ids, src_mask, memory, cross_k_i, cross_v_i (expanded to Rows)
    private int _layers, _heads, _dk;

    /// <summary>Rows decoded together (1 = greedy, 4 = beam of 4).</summary>
    [Params(1, 4)]
    public int Rows { get; set; }

    /// <summary>Loads the bundle, encodes the article and prepares both decoders for it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var bundle = DecoderBenchmarkConfig.FindBundle();
        _summarizer = TransformerSummarizer.Load(bundle, new InferenceSettings { IntraOpThreads = 1 });
        var (allIds, _) = _summarizer.Tokenizer.EncodeWords(TextNormalizer.Normalize(DecoderBenchmarkConfig.LoadArticle(bundle)));
        var source = allIds[..Math.Min(allIds.Length, _summarizer.Model.MaxSourceLength)];
        Console.WriteLine($"// {bundle}: {_summarizer.Model.Parameters:N0} parameters, source {source.Length} tokens, {Steps} steps");
        var memory = _summarizer.Encoder.Encode(source);
        var model = _summarizer.Model;
        _layers = model.DecoderLayers;
        _heads = model.HeadCount;
        _dk = model.DModel / model.HeadCount;
        _state = _summarizer.Decoder.CreateState(memory, source, Rows);
        _tokens = Enumerable.Range(0, Rows).Select(r => 10 + r).ToArray();

        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _runOptions = new RunOptions();
        var s = source.Length;
        long[] Expand(long[] one) => Enumerable.Repeat(one, Rows).SelectMany(x => x).ToArray();
        float[] ExpandF(float[] one) => Enumerable.Repeat(one, Rows).SelectMany(x => x).ToArray();
        var fixedInputs = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(Expand(source.Select(x => (long)x).ToArray()), [Rows, s]),
            OrtValue.CreateTensorValueFromMemory(Expand(Enumerable.Repeat(1L, s).ToArray()), [Rows, s]),
            OrtValue.CreateTensorValueFromMemory(ExpandF(memory), [Rows, s, model.DModel]),
        };
        using (var crossSession = new InferenceSession(Path.Combine(bundle, "cross_kv.onnx"), options))
        using (var memoryValue = OrtValue.CreateTensorValueFromMemory(memory, [1, s, model.DModel]))
        using (var crossOut = crossSession.Run(_runOptions, ["memory"], [memoryValue], crossSession.OutputNames))
        {
            var byName = crossSession.OutputNames.Zip(crossOut).ToDictionary(p => p.First, p => p.Second.GetTensorDataAsSpan<float>().ToArray());
            for (var i = 0; i < _layers; i++)
                foreach (var kind in new[] { "k", "v" })
                    fixedInputs.Add(OrtValue.CreateTensorValueFromMemory(ExpandF(byName[$"cross_{kind}_{i}"]), [Rows, _heads, s, _dk]));
        }
        _fixedInputs = [.. fixedInputs];
        _session = new InferenceSession(Path.Combine(bundle, "decoder.onnx"), options);
        var names = new List<string> { "input_ids", "step", "src_ids", "src_mask", "memory" };
        for (var i = 0; i < _layers; i++)
            names.AddRange([$"cross_k_{i}", $"cross_v_{i}"]);
        for (var i = 0; i < _layers; i++)
            names.AddRange([$"past_k_{i}", $"past_v_{i}"]);
        _inputNames = [.. names];
        var outputs = new List<string> { "log_probs" };
        for (var i = 0; i < _layers; i++)
            outputs.AddRange([$"present_k_{i}", $"present_v_{i}"]);
        _outputNames = [.. outputs];

        // Same work, same answer: both decoders must agree before they are timed.
        var (native, onnx) = (Native(), OnnxRuntime());
        if (Math.Abs(native - onnx) > 1e-3f * Math.Max(1f, Math.Abs(onnx)))
            throw new InvalidOperationException($"Native and ONNX Runtime disagree after {Steps} steps: {native} vs {onnx}.");
    }

    /// <summary>Native decoder: <see cref="Steps"/> steps from position 0, all rows in each step.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public float Native()
    {
        for (var t = 0; t < Steps; t++)
            _state.Step(_tokens, t);
        return _state.LogProbs(0)[0];
    }

    /// <summary>ONNX Runtime on decoder.onnx: the same steps, each step's present K/V fed back as the next past.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float OnnxRuntime()
    {
        var ids = new long[Rows];
        var step = new long[1];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [Rows, 1]);
        using var stepValue = OrtValue.CreateTensorValueFromMemory(step, [1]);
        var past = new OrtValue[2 * _layers];
        for (var i = 0; i < past.Length; i++)
            past[i] = OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [Rows, _heads, 0, _dk]);
        var inputs = new OrtValue[_inputNames.Length];
        inputs[0] = idsValue;
        inputs[1] = stepValue;
        _fixedInputs.CopyTo(inputs, 2);
        IDisposableReadOnlyCollection<OrtValue>? outputs = null;
        float result = 0;
        for (var t = 0; t < Steps; t++)
        {
            for (var r = 0; r < Rows; r++)
                ids[r] = _tokens[r];
            step[0] = t;
            past.CopyTo(inputs, 2 + _fixedInputs.Length);
            var next = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
            result = next[0].GetTensorDataAsSpan<float>()[0];
            if (outputs is null)
                foreach (var value in past)
                    value.Dispose();
            outputs?.Dispose();
            outputs = next;
            for (var i = 0; i < past.Length; i++)
                past[i] = next[1 + i];
        }
        outputs?.Dispose();
        return result;
    }

    /// <summary>Frees the sessions.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        foreach (var value in _fixedInputs)
            value.Dispose();
        _runOptions.Dispose();
        _summarizer.Dispose();
    }
}
