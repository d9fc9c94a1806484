using Microsoft.ML.OnnxRuntime;

namespace Summarizer.Reference;

/// <summary>
/// The decoder's step run by ONNX Runtime: the comparator the native decoder is timed against (benchmarks/) and checked
/// against (tests/Inference.Tests). Runs the two graphs training/export_step_onnx.py writes from the same weights:
/// <c>cross_kv.onnx</c> once per request (memory [S, d_model] → per layer cross K [1, heads, d_k, S] and V [1, heads, S, d_k])
/// and <c>decoder_step.onnx</c> once per step (token per row, position, source ids, memory, cross K/V, past K/V
/// [rows, heads, T, d_k] → log-probs [rows, V] and present K/V [rows, heads, T + 1, d_k], fed back as the next past).
/// Single-threaded by default, like the native decoder. Not thread-safe: one request at a time.
/// </summary>
internal sealed class OnnxDecoderStep : IDisposable
{
    /// <summary>The cross-attention keys/values graph's file name.</summary>
    public const string CrossKeyValuesFile = "cross_kv.onnx";

    /// <summary>The step graph's file name.</summary>
    public const string StepFile = "decoder_step.onnx";

    /// <summary>
    /// How far ONNX Runtime's log P may be from the native step's: |Δ| ≤ Tolerance · max(1, |log P|). Both compute in float32
    /// with different summation orders (MLAS GEMM blocks vs the packed kernels, softmax and LayerNorm reductions): a few
    /// ulps per operation, ~1e-6 relative through the layers, so log P differs by ~1e-6 (the relative error of P; nothing
    /// in the mixture subtracts). Measured 9e-7 on tests/fixtures/step-onnx and 4e-6 on the shipped bundle at beam 4
    /// (benchmarks/RESULTS-decoder-step.md): the bound leaves ≥ 10× room and is still far below what could change a
    /// search. Ids at the floor, log 1e-12, agree exactly.
    /// </summary>
    public const float Tolerance = 5e-5f;

    private readonly InferenceSession _crossSession, _stepSession;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames, _outputNames;
    private readonly int _layers, _headCount, _headDim;
    private readonly List<OrtValue> _requestValues = []; // ids, position, source ids, memory, empty pasts: this request's
    private IDisposable? _cross;                          // cross_kv.onnx's outputs, held for the request
    private IDisposable? _pastOwner;                      // whatever holds the current past K/V
    private IDisposableReadOnlyCollection<OrtValue>? _last; // the last step's outputs (log_probs first)
    private OrtValue[] _inputs = [];
    private long[] _ids = [], _position = [0];
    private int _rows;

    private OnnxDecoderStep(InferenceSession crossSession, InferenceSession stepSession)
    {
        _crossSession = crossSession;
        _stepSession = stepSession;
        _layers = stepSession.InputMetadata.Keys.Count(n => n.StartsWith("past_k_", StringComparison.Ordinal));
        var past = stepSession.InputMetadata["past_k_0"].Dimensions; // [rows, heads, past_len, d_k]
        (_headCount, _headDim) = (past[1], past[3]);
        var inputs = new List<string> { "input_ids", "position", "src_ids", "memory" };
        for (var i = 0; i < _layers; i++)
            inputs.AddRange([$"cross_k_{i}", $"cross_v_{i}"]);
        for (var i = 0; i < _layers; i++)
            inputs.AddRange([$"past_k_{i}", $"past_v_{i}"]);
        _inputNames = [.. inputs];
        var outputs = new List<string> { "log_probs" };
        for (var i = 0; i < _layers; i++)
            outputs.AddRange([$"present_k_{i}", $"present_v_{i}"]);
        _outputNames = [.. outputs];
    }

    /// <summary>Decoder layers of the graph.</summary>
    public int Layers => _layers;

    /// <summary>Opens <see cref="CrossKeyValuesFile"/> and <see cref="StepFile"/> in <paramref name="directory"/>.</summary>
    /// <param name="directory">Where training/export_step_onnx.py wrote the graphs.</param>
    /// <param name="intraOpThreads">ONNX Runtime threads per run (1: as the native decoder).</param>
    public static OnnxDecoderStep Load(string directory, int intraOpThreads = 1)
    {
        foreach (var file in new[] { CrossKeyValuesFile, StepFile })
            if (!File.Exists(Path.Combine(directory, file)))
                throw new FileNotFoundException($"{Path.Combine(directory, file)} is missing: export it with python3 -m training.export_step_onnx --bundle <bundle> (training/export_step_onnx.py).");
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var cross = new InferenceSession(Path.Combine(directory, CrossKeyValuesFile), options);
        try
        {
            return new OnnxDecoderStep(cross, new InferenceSession(Path.Combine(directory, StepFile), options));
        }
        catch
        {
            cross.Dispose();
            throw;
        }
    }

    /// <summary>Starts a request: computes every layer's cross K/V from <paramref name="memory"/> once and empties the caches.</summary>
    /// <param name="memory">[S, d_model] encoder output (kept pinned for the request: do not change it).</param>
    /// <param name="sourceIds">[S] source token ids.</param>
    /// <param name="rows">Rows (beams) of every step of this request.</param>
    public void Start(float[] memory, int[] sourceIds, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        EndRequest();
        int s = sourceIds.Length, d = memory.Length / s;
        _rows = rows;
        _ids = new long[rows];
        _position = new long[1];
        var memoryValue = Keep(OrtValue.CreateTensorValueFromMemory(memory, [s, d]));
        var cross = _crossSession.Run(_runOptions, ["memory"], [memoryValue], _crossSession.OutputNames);
        _cross = cross;
        var crossByName = _crossSession.OutputNames.Zip(cross).ToDictionary(p => p.First, p => p.Second);

        _inputs = new OrtValue[_inputNames.Length];
        _inputs[0] = Keep(OrtValue.CreateTensorValueFromMemory(_ids, [rows]));
        _inputs[1] = Keep(OrtValue.CreateTensorValueFromMemory(_position, [1]));
        _inputs[2] = Keep(OrtValue.CreateTensorValueFromMemory(sourceIds.Select(id => (long)id).ToArray(), [s]));
        _inputs[3] = memoryValue;
        for (var i = 4; i < 4 + 2 * _layers; i++)
            _inputs[i] = crossByName[_inputNames[i]];
        for (var i = 4 + 2 * _layers; i < _inputs.Length; i++)
            _inputs[i] = Keep(OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [rows, _headCount, 0, _headDim]));
    }

    /// <summary>
    /// One step: row r feeds <paramref name="tokens"/>[r] at <paramref name="position"/>. With <paramref name="advance"/> the
    /// presents become the next step's past (a decoding loop); without, the caches stay as they were, so the same step can be
    /// timed again (a benchmark on a warm cache).
    /// </summary>
    public void Step(ReadOnlySpan<int> tokens, int position, bool advance = true)
    {
        if (tokens.Length != _rows)
            throw new ArgumentException($"This request has {_rows} rows; got {tokens.Length} tokens.", nameof(tokens));
        for (var r = 0; r < tokens.Length; r++)
            _ids[r] = tokens[r];
        _position[0] = position;
        var outputs = _stepSession.Run(_runOptions, _inputNames, _inputs, _outputNames);
        if (_last is not null && !ReferenceEquals(_last, _pastOwner))
            _last.Dispose();
        if (advance)
        {
            _pastOwner?.Dispose();
            _pastOwner = outputs;
            for (var i = 0; i < 2 * _layers; i++)
                _inputs[4 + 2 * _layers + i] = outputs[1 + i];
        }
        _last = outputs;
    }

    /// <summary>[V] log P(w) of row <paramref name="row"/> from the last step.</summary>
    public ReadOnlySpan<float> LogProbs(int row)
    {
        var all = (_last ?? throw new InvalidOperationException("No step has run."))[0].GetTensorDataAsSpan<float>();
        var v = all.Length / _rows;
        return all.Slice(row * v, v);
    }

    /// <summary>
    /// The largest |native − ONNX Runtime| over one row's log-probs, absolute and relative to max(1, |log P|), and the id of
    /// the largest relative one (compare it with <see cref="Tolerance"/>).
    /// </summary>
    public static (float Absolute, float Relative, int Id) Difference(ReadOnlySpan<float> native, ReadOnlySpan<float> onnx)
    {
        if (native.Length != onnx.Length)
            throw new ArgumentException($"The rows have {native.Length} and {onnx.Length} log-probs.", nameof(onnx));
        var (absolute, relative, id) = (0f, 0f, 0);
        for (var w = 0; w < native.Length; w++)
        {
            var difference = Math.Abs(native[w] - onnx[w]);
            var scaled = difference / Math.Max(1, Math.Abs(native[w]));
            absolute = Math.Max(absolute, difference);
            if (scaled > relative)
                (relative, id) = (scaled, w);
        }
        return (absolute, relative, id);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        EndRequest();
        _stepSession.Dispose();
        _crossSession.Dispose();
        _runOptions.Dispose();
    }

    private OrtValue Keep(OrtValue value)
    {
        _requestValues.Add(value);
        return value;
    }

    private void EndRequest()
    {
        if (_last is not null && !ReferenceEquals(_last, _pastOwner))
            _last.Dispose();
        _pastOwner?.Dispose();
        _cross?.Dispose();
        foreach (var value in _requestValues)
            value.Dispose();
        (_last, _pastOwner, _cross) = (null, null, null);
        _requestValues.Clear();
    }
}
